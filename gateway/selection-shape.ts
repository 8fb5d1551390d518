// The canonical shape of an operation's selection: fields by response key in first-seen order (with
// their arguments and directives, fragments expanded, same-type fragments inlined, repeated keys merged),
// and fragments on other types kept where they are. Two operations of the same shape ask one schema for
// the same response, key for key; the pass-through (pass-through.ts) compares a client's operation with
// the single subgraph fetch the planner made of it. Null when the shape cannot be told safely (an
// introspection field, a field whose supergraph type differs in its subgraph, a response key asked twice
// under different directives).
import {
  getNamedType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  print,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface ShapeRules {
  schema: GraphQLSchema;
  /** `Type.field` coordinates whose type in a subgraph differs from the supergraph's (`@join__field(type:)`). */
  retyped: ReadonlySet<string>;
}

const sortedArgs = (args: readonly ArgumentNode[] | undefined) =>
  [...(args ?? [])]
    .sort((a, b) => a.name.value.localeCompare(b.name.value))
    .map((a) => `${a.name.value}:${print(a.value)}`)
    .join(',');

const sortedDirectives = (directives: readonly DirectiveNode[] | undefined) =>
  [...(directives ?? [])]
    .sort((a, b) => a.name.value.localeCompare(b.name.value))
    .map((d) => `@${d.name.value}(${sortedArgs(d.arguments)})`)
    .join('');

class Unshapeable extends Error {}

interface FieldEntry {
  head: string;
  type?: GraphQLCompositeType;
  sets: SelectionSetNode[];
}

function shapeOfSet(sets: readonly SelectionSetNode[], parent: GraphQLCompositeType, fragments: ReadonlyMap<string, FragmentDefinitionNode>, rules: ShapeRules, root: boolean): string {
  const entries: (FieldEntry | string)[] = [];
  const byKey = new Map<string, FieldEntry>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === 'Field') {
        const name = selection.name.value;
        if (name.startsWith('__') && (root || name !== '__typename')) throw new Unshapeable();
        const key = selection.alias?.value ?? name;
        const head = `${key}:${name}(${sortedArgs(selection.arguments)})${sortedDirectives(selection.directives)}`;
        let type: GraphQLCompositeType | undefined;
        if (name !== '__typename' && (isObjectType(parent) || isInterfaceType(parent))) {
          const field = parent.getFields()[name];
          if (!field || rules.retyped.has(`${parent.name}.${name}`)) throw new Unshapeable();
          const named = getNamedType(field.type);
          type = isCompositeType(named) ? named : undefined;
        }
        const seen = byKey.get(key);
        if (seen) {
          if (seen.head !== head) throw new Unshapeable();
          if (selection.selectionSet) seen.sets.push(selection.selectionSet);
          continue;
        }
        const entry: FieldEntry = { head, type, sets: selection.selectionSet ? [selection.selectionSet] : [] };
        byKey.set(key, entry);
        entries.push(entry);
        continue;
      }
      const fragment = selection.kind === 'FragmentSpread' ? fragments.get(selection.name.value) : undefined;
      if (selection.kind === 'FragmentSpread' && !fragment) throw new Unshapeable();
      const condition = selection.kind === 'FragmentSpread' ? fragment!.typeCondition.name.value : selection.typeCondition?.name.value;
      const body = selection.kind === 'FragmentSpread' ? fragment!.selectionSet : selection.selectionSet;
      const directives = sortedDirectives(selection.directives);
      if (!directives && (condition === undefined || condition === parent.name)) {
        collect(body); // the same type: its fields are the parent's
        continue;
      }
      const type = condition ? rules.schema.getType(condition) : parent;
      if (!type || !isCompositeType(type)) throw new Unshapeable();
      entries.push(`...on ${type.name}${directives}{${shapeOfSet([body], type, fragments, rules, false)}}`);
    }
  };
  for (const set of sets) collect(set);
  return entries
    .map((e) => (typeof e === 'string' ? e : e.sets.length && e.type ? `${e.head}{${shapeOfSet(e.sets, e.type, fragments, rules, false)}}` : e.head))
    .join(' ');
}

/** The shape of `definition`'s selection in `document` (its fragments), or null when it cannot be told safely. */
export function selectionShape(document: DocumentNode, definition: OperationDefinitionNode, rules: ShapeRules): string | null {
  const root = rules.schema.getRootType(definition.operation);
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments.set(d.name.value, d);
  try {
    return shapeOfSet([definition.selectionSet], root, fragments, rules, true);
  } catch (err) {
    if (err instanceof Unshapeable) return null;
    throw err;
  }
}
