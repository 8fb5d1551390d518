// The audit trail: every mutation and every refused request is one structured log line
// (`"audit":true`): who (the principal's subject, never a credential), what (entrance, operation type,
// name and root fields), which clusters (the `cluster` / `clusters` / `clusterName` arguments of the
// root fields, and `cluster(name:)`), and the outcome (HTTP status or WebSocket close code, error code,
// reason). Operation texts, variables, headers and connection_init payloads are never logged.
import type { Request, RequestHandler, Response } from 'express';
import { Kind, valueFromASTUntyped, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { log } from '../lib/log.js';

export interface OperationSummary {
  type: string;
  name?: string;
  /** Root field names (aliases resolved to their field). */
  fields: string[];
  /** Clusters named by the root fields' arguments. */
  clusters: string[];
}

export interface AuditRecord {
  entrance: 'http' | 'ws';
  subject?: string;
  remote?: string;
  operation?: OperationSummary;
  /** The refusal's or failure's `extensions.code`. */
  code?: string;
  reason?: string;
  /** Forces a line for a successful request (mutations). */
  always?: boolean;
}

const auditLog = log.child({ audit: true });

/** Codes that mean "not allowed" rather than "went wrong". */
export const REFUSAL_CODES: ReadonlySet<string> = new Set([
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'OPERATION_TOO_COMPLEX',
  'RATE_LIMITED',
  'ORIGIN_NOT_ALLOWED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'OPERATION_NOT_TRUSTED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PAYLOAD_TOO_LARGE',
  'QUERY_TIMEOUT',
]);

const CLUSTER_ARGUMENTS = new Set(['cluster', 'clusters', 'clusterName']);
const MAX_LISTED = 20;

/** Type, name, root fields and named clusters of one operation (root level only: bounded work). */
export function summarize(document: DocumentNode, operationName?: string | null, variables: Readonly<Record<string, unknown>> = {}): OperationSummary | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return undefined;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const fields = new Set<string>();
  const clusters = new Set<string>();
  const add = (value: unknown) => {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string' && clusters.size < MAX_LISTED) clusters.add(v);
  };
  const pending: SelectionSetNode[] = [operation.selectionSet];
  const spread = new Set<string>();
  while (pending.length > 0 && fields.size < MAX_LISTED) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const set = fragments.get(selection.name.value);
        if (set && !spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          pending.push(set);
        }
      } else {
        fields.add(selection.name.value);
        for (const arg of selection.arguments ?? []) {
          const named = CLUSTER_ARGUMENTS.has(arg.name.value) || (selection.name.value === 'cluster' && arg.name.value === 'name');
          if (named) add(valueFromASTUntyped(arg.value, variables as Record<string, unknown>));
        }
      }
    }
  }
  return { type: operation.operation, ...(operation.name ? { name: operation.name.value } : {}), fields: [...fields], clusters: [...clusters] };
}

/** Writes one audit line. */
export function audit(record: AuditRecord, outcome: { status?: number; closeCode?: number; outcome: 'ok' | 'refused' | 'failed' }): void {
  const { always: _always, ...rest } = record;
  auditLog.info({ ...rest, ...outcome }, outcome.outcome === 'ok' ? 'audit: operation' : 'audit: refused');
}

interface Locals {
  audit?: AuditRecord;
}

/** The request's audit record (created by auditRequests, filled by later stages). */
export function auditRecordOf(res: Response): AuditRecord {
  const locals = res.locals as Locals;
  locals.audit ??= { entrance: 'http' };
  return locals.audit;
}

/** First on /graphql: when the response is finished, one audit line if it was refused (4xx), failed, or is a mutation. */
export function auditRequests(): RequestHandler {
  return (req: Request, res: Response, next) => {
    const record = auditRecordOf(res);
    record.remote = req.socket.remoteAddress;
    res.on('finish', () => {
      const status = res.statusCode;
      if (status >= 400) audit(record, { status, outcome: status >= 500 ? 'failed' : 'refused' });
      else if (record.code) audit(record, { status, outcome: REFUSAL_CODES.has(record.code) ? 'refused' : 'failed' });
      else if (record.always) audit(record, { status, outcome: 'ok' });
    });
    next();
  };
}
