// Server-side printing: the meta.k8s.io Table a client gets when it asks for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get does), for lists, single objects
// and watch events. Generic over the catalogue: built-in kinds print with api/printers.ts, custom
// resources with their CRD's printer columns (Name + columns, or Name + Age when the CRD declares none),
// so a kind added to kinds.ts is printed without further code.
import type { KindInfo, PrinterColumn } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { ageOf } from './human-duration.js';
import { evaluateJsonPath } from './jsonpath.js';
import { AGE_DESCRIPTION, BUILT_IN_PRINTERS, DEFAULT_PRINTER, NAME_COLUMN, type Cell, type ColumnDefinition, type Printer } from './printers.js';
import { badRequest } from './status.js';

export type TableVersion = 'v1' | 'v1beta1';
export type IncludeObject = 'None' | 'Object' | 'PartialObjectMetadata';

/** The Table version an Accept header asks for first, or undefined when it asks for plain objects. */
export function wantsTable(accept: string | undefined): TableVersion | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('as') !== 'Table' || params.get('g') !== 'meta.k8s.io') {
      if (!params.has('as')) return undefined; // a plain media type listed before any Table
      continue;
    }
    const v = params.get('v');
    if (v === 'v1' || v === 'v1beta1') return v;
  }
  return undefined;
}

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject') ?? 'PartialObjectMetadata';
  if (value === 'None' || value === 'Object' || value === 'PartialObjectMetadata') return value;
  throw badRequest(`includeObject: Unsupported value: "${value}": supported values: "None", "Object", "PartialObjectMetadata"`);
}

function cellOf(column: PrinterColumn, obj: KubeObject, now: number): Cell {
  const values = evaluateJsonPath(column.jsonPath, obj);
  if (values.length === 0 || values[0] === undefined || values[0] === null) return null;
  const value = values[0];
  switch (column.type) {
    case 'date':
      return ageOf(value, now);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    default:
      return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ');
  }
}

const printerCache = new Map<string, Printer>();

/** The printer of a kind: built-in printer, CRD columns, or the generic default. */
export function printerOf(kind: KindInfo): Printer {
  const cached = printerCache.get(kind.key);
  if (cached) return cached;
  let printer = BUILT_IN_PRINTERS.get(kind.key);
  if (!printer && kind.builtIn) printer = DEFAULT_PRINTER;
  if (!printer) {
    const columns: PrinterColumn[] = kind.printerColumns.length
      ? [...kind.printerColumns]
      : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION }];
    printer = {
      columns: [
        NAME_COLUMN,
        ...columns.map((c): ColumnDefinition => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
      ],
      cells: (obj, now) => [obj.metadata.name, ...columns.map((c) => cellOf(c, obj, now))],
    };
  }
  printerCache.set(kind.key, printer);
  return printer;
}

function rowObject(obj: KubeObject, include: IncludeObject, version: TableVersion): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export interface TableOptions {
  version: TableVersion;
  include: IncludeObject;
  now: number;
}

export function renderTable(kind: KindInfo, objects: readonly KubeObject[], metadata: object, options: TableOptions): object {
  const printer = printerOf(kind);
  const rows = objects.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, options.now) };
    const object = rowObject(obj, options.include, options.version);
    if (object) row.object = object;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata,
    columnDefinitions: printer.columns,
    // the generic default convertor answers an empty list with null rows, the printers with []
    rows: rows.length === 0 && printer === DEFAULT_PRINTER ? null : rows,
  };
}

/** One object as a Table (GET of a name, and each watch event). */
export function renderObjectTable(kind: KindInfo, obj: KubeObject, options: TableOptions): object {
  return renderTable(kind, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, options);
}
