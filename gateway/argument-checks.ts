// Applies the argument rules (argument-rules.ts) to one operation: every field argument of the
// operation and of the fragments it uses, literals and variables alike (variables with their defaults),
// descending into input objects and lists so that `filter: { labelSelector: … }` is checked too.
// Used for HTTP operations (plugins/argument-checks.ts) and for subscriptions (subscriptions/admission.ts).
import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ARGUMENT_RULES, type ArgumentRule } from './argument-rules.js';

/** The variables as the operation sees them: the client's, else the declared defaults. */
function variableValues(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (Object.prototype.hasOwnProperty.call(variables, name)) values[name] = variables[name];
    else if (definition.defaultValue) values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

export function checkArguments(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
  rules: Readonly<Record<string, ArgumentRule>> = ARGUMENT_RULES,
): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const values = variableValues(operation, variables);
  const errors = new Map<string, GraphQLError>();
  const visitedFragments = new Set<string>();

  const checkValue = (name: string, value: unknown, report: (problem: string, name: string) => void) => {
    if (value === null || value === undefined) return;
    const rule = Object.prototype.hasOwnProperty.call(rules, name) ? rules[name] : undefined;
    const problem = rule?.(value);
    if (problem) report(problem, name);
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object') checkValue(name, item, report);
    } else if (typeof value === 'object') {
      for (const [field, inner] of Object.entries(value as Record<string, unknown>)) checkValue(field, inner, report);
    }
  };

  const checkArgument = (fieldName: string, arg: ArgumentNode) => {
    checkValue(arg.name.value, valueFromASTUntyped(arg.value, values), (problem, name) => {
      const where = name === arg.name.value ? `Argument "${name}"` : `Input field "${name}" of argument "${arg.name.value}"`;
      const message = `${where} of field "${fieldName}": ${problem}.`;
      // The same fragment spread twice reports once.
      if (!errors.has(message)) {
        errors.set(message, new GraphQLError(message, { nodes: [arg], extensions: { code: 'BAD_USER_INPUT', argument: name, field: fieldName } }));
      }
    });
  };

  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        for (const arg of selection.arguments ?? []) checkArgument(selection.name.value, arg);
        if (selection.selectionSet) walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment && !visitedFragments.has(name)) {
          visitedFragments.add(name);
          walk(fragment.selectionSet);
        }
      }
    }
  };
  walk(operation.selectionSet);
  return [...errors.values()];
}
