// What one parsed operation would cost, measured on the document (fragments expanded, each fragment
// measured once however often it is spread, cycles refused), with the schema's types for the cost:
//  - depth: nested field levels (root fields are 1);
//  - aliases, root fields: counted after expansion;
//  - cost: every field selection costs 1 times the items its parents return. A list field multiplies
//    its subtree: a fleet-wide list (a list at the root, or any list of Cluster) by the number of
//    clusters it names in a `clusters` argument, else by the fleet-size estimate; any other list by its
//    `limit` / `first` argument, else by the list-size estimate. So `{ clusters { nodes { pods { name }}}}`
//    costs 1 + F·(1 + L·(1 + L·1)) and 30 nested `nodes { cluster { … } }` pairs cost L³⁰.
// Only called on documents whose nesting the lexer already bounded (document-limits.ts), so the walk
// over one selection tree is shallow; fragments are processed in dependency order, not recursively.
import {
  BREAK,
  Kind,
  OperationTypeNode,
  getNamedType,
  getNullableType,
  isListType,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface Measure {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: number;
}

export interface CostModel {
  fleetSize: number;
  listSize: number;
}

const ZERO: Measure = { depth: 0, aliases: 0, rootFields: 0, cost: 0 };

/** A fragment spread cycle: GraphQL forbids it; refused before any walk could loop. */
export class FragmentCycle extends Error {
  override readonly name = 'FragmentCycle';
}

function fieldsOf(type: GraphQLNamedType | undefined): Record<string, { type: GraphQLType; args: readonly unknown[] }> | undefined {
  return type && 'getFields' in type && typeof type.getFields === 'function' ? (type.getFields() as Record<string, { type: GraphQLType; args: readonly unknown[] }>) : undefined;
}

/** The arguments the cost reads (a list's size): the only place variables enter a measure. */
const SIZE_ARGUMENTS = ['limit', 'first'];
const COST_ARGUMENTS = ['clusters', ...SIZE_ARGUMENTS];

/** Whether a measure of this document can depend on the variables (a cost argument holds a variable somewhere). */
export function measureReadsVariables(document: DocumentNode): boolean {
  let reads = false;
  visit(document, {
    Argument(node) {
      if (!COST_ARGUMENTS.includes(node.name.value)) return false;
      visit(node.value, {
        Variable() {
          reads = true;
          return BREAK;
        },
      });
      return reads ? BREAK : false;
    },
  });
  return reads;
}

function argument(field: FieldNode, name: string, variables: Readonly<Record<string, unknown>>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables as Record<string, unknown>) : undefined;
}

class Measurer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, Measure>();

  constructor(
    document: DocumentNode,
    private readonly schema: GraphQLSchema | undefined,
    private readonly model: CostModel,
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
    const rootNames = new Set([OperationTypeNode.QUERY, OperationTypeNode.MUTATION, OperationTypeNode.SUBSCRIPTION].map((r) => this.schema?.getRootType(r)?.name ?? ''));
    for (const name of this.dependencyOrder()) {
      const f = this.fragments.get(name)!;
      const on = f.typeCondition.name.value;
      // A fragment on a root type is spread at the root: its lists are fleet-wide there.
      this.measured.set(name, this.selectionSet(f.selectionSet, this.schema?.getType(on) ?? undefined, rootNames.has(on)));
    }
  }

  operation(op: OperationDefinitionNode): Measure {
    const root = this.schema?.getRootType(op.operation) ?? undefined;
    return this.selectionSet(op.selectionSet, root, true);
  }

  /** Fragments, each after the fragments it spreads (Kahn's algorithm); a cycle throws. */
  private dependencyOrder(): string[] {
    const spreads = new Map<string, Set<string>>();
    for (const [name, f] of this.fragments) {
      const used = new Set<string>();
      const pending: SelectionSetNode[] = [f.selectionSet];
      while (pending.length) {
        for (const s of pending.pop()!.selections) {
          if (s.kind === Kind.FRAGMENT_SPREAD) {
            if (this.fragments.has(s.name.value)) used.add(s.name.value);
          } else if (s.selectionSet) pending.push(s.selectionSet);
        }
      }
      spreads.set(name, used);
    }
    const order: string[] = [];
    const remaining = new Map([...spreads].map(([n, used]) => [n, new Set(used)]));
    let ready = [...remaining].filter(([, used]) => used.size === 0).map(([n]) => n);
    while (ready.length) {
      const next: string[] = [];
      for (const n of ready) {
        order.push(n);
        remaining.delete(n);
        for (const [other, used] of remaining) if (used.delete(n) && used.size === 0) next.push(other);
      }
      ready = next;
    }
    if (remaining.size > 0) throw new FragmentCycle(`Fragment cycle: ${[...remaining.keys()].slice(0, 5).join(', ')} spread each other.`);
    return order;
  }

  private factor(field: FieldNode, type: GraphQLType, atRoot: boolean): number {
    if (!isListType(getNullableType(type))) return 1;
    const element = getNamedType(type);
    const fleetWide = atRoot || element.name === 'Cluster';
    let n = fleetWide ? this.model.fleetSize : this.model.listSize;
    const clusters = argument(field, 'clusters', this.variables);
    if (fleetWide && Array.isArray(clusters)) n = Math.min(n, clusters.length);
    for (const name of SIZE_ARGUMENTS) {
      const limit = argument(field, name, this.variables);
      if (typeof limit === 'number' && Number.isFinite(limit) && limit >= 0) n = Math.min(n, limit);
    }
    return n;
  }

  private selectionSet(set: SelectionSetNode, type: GraphQLNamedType | undefined, atRoot: boolean): Measure {
    const total: Measure = { ...ZERO };
    const fields = fieldsOf(type);
    for (const s of set.selections) {
      let part: Measure;
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        const fieldType =
          name === '__schema' ? this.schema?.getType('__Schema') : name === '__type' ? this.schema?.getType('__Type') : fields?.[name]?.type;
        const child = s.selectionSet
          ? this.selectionSet(s.selectionSet, fieldType ? getNamedType(fieldType as GraphQLType) : undefined, false)
          : ZERO;
        const factor = fieldType && s.selectionSet ? this.factor(s, fieldType as GraphQLType, atRoot) : 1;
        part = { depth: 1 + child.depth, aliases: (s.alias ? 1 : 0) + child.aliases, rootFields: 1, cost: 1 + factor * child.cost };
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const on = s.typeCondition ? (this.schema?.getType(s.typeCondition.name.value) ?? undefined) : type;
        part = this.selectionSet(s.selectionSet, on, atRoot);
      } else {
        part = this.measured.get(s.name.value) ?? ZERO;
      }
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.rootFields += part.rootFields;
      total.cost += part.cost;
    }
    return total;
  }
}

/**
 * Measures every operation of the document; throws FragmentCycle. A fragment is measured once, at its
 * type condition (a fragment on a root type as root fields), and its measure added wherever it is spread.
 */
export function measureOperations(
  document: DocumentNode,
  schema: GraphQLSchema | undefined,
  model: CostModel,
  variables: Readonly<Record<string, unknown>> = {},
): { operation: OperationDefinitionNode; measure: Measure }[] {
  const measurer = new Measurer(document, schema, model, variables);
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ operation, measure: measurer.operation(operation) }));
}
