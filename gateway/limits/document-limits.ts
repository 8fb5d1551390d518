// The operation limits on one document, in the order that keeps a hostile document cheap:
//  1. the lexer (iterative) counts tokens and bracket nesting — a 30 KB document nested 1,000 levels
//     deep is refused here, before the (recursive-descent) parser, validation or planning see it;
//  2. the parser (graphql-js, with the same token limit);
//  3. measure.ts on the parsed, now shallow, document: depth, aliases, root fields, fan-out cost.
// Used for HTTP operations (limits-stage.ts) and for subscriptions (subscriptions/prepare.ts).
import { GraphQLError, Lexer, Source, TokenKind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { FragmentCycle, measureOperations, type Measure } from './measure.js';
import { OPERATION_TOO_COMPLEX, type OperationLimits } from './options.js';

export type DocumentLimits = Pick<OperationLimits, 'maxTokens' | 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxCost' | 'costFleetSize' | 'costListSize'>;

/** Brackets allowed beyond the field depth: the operation's own braces, arguments, input objects and lists. */
const NESTING_SLACK = 8;

export type DocumentCheck = { document: DocumentNode; errors?: undefined } | { document?: DocumentNode; errors: GraphQLError[] };

function tooComplex(limit: string, max: number, actual: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: OPERATION_TOO_COMPLEX, limit, max, actual, http: { status: 400 } } });
}

const parseFailed = (message: string) => new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } } });

/** Tokens and bracket nesting, counted by the lexer alone; stops at the first limit crossed. */
function lexicalCheck(query: string, limits: DocumentLimits): GraphQLError | undefined {
  const lexer = new Lexer(new Source(query));
  const maxNesting = limits.maxDepth + NESTING_SLACK;
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > limits.maxTokens) {
        return tooComplex('tokens', limits.maxTokens, tokens, `The document has more than ${limits.maxTokens} tokens.`);
      }
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.PAREN_L || token.kind === TokenKind.BRACKET_L) {
        if (++nesting > maxNesting) {
          return tooComplex('depth', limits.maxDepth, nesting, `The document is nested more than ${maxNesting} brackets deep (fields: at most ${limits.maxDepth} levels).`);
        }
      } else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.PAREN_R || token.kind === TokenKind.BRACKET_R) {
        nesting--;
      }
    }
  } catch (err) {
    return parseFailed(err instanceof GraphQLError ? err.message : String(err));
  }
  return undefined;
}

function measureErrors(measure: Measure, limits: DocumentLimits, name: string): GraphQLError[] {
  const errors: GraphQLError[] = [];
  if (measure.depth > limits.maxDepth) errors.push(tooComplex('depth', limits.maxDepth, measure.depth, `${name} is ${measure.depth} fields deep; the limit is ${limits.maxDepth}.`));
  if (measure.aliases > limits.maxAliases) errors.push(tooComplex('aliases', limits.maxAliases, measure.aliases, `${name} has ${measure.aliases} aliases; the limit is ${limits.maxAliases}.`));
  if (measure.rootFields > limits.maxRootFields) {
    errors.push(tooComplex('rootFields', limits.maxRootFields, measure.rootFields, `${name} has ${measure.rootFields} root fields; the limit is ${limits.maxRootFields}.`));
  }
  if (measure.cost > limits.maxCost) {
    const cost = Number.isFinite(measure.cost) && measure.cost < 1e15 ? Math.round(measure.cost) : Number.MAX_SAFE_INTEGER;
    errors.push(
      tooComplex(
        'cost',
        limits.maxCost,
        cost,
        `${name} would cost about ${cost.toLocaleString('en')} (clusters × fields per cluster; the limit is ${limits.maxCost.toLocaleString('en')}): name clusters, add limits or select fewer nested lists.`,
      ),
    );
  }
  return errors;
}

/** Steps 1 and 2, which depend on the text alone (so their outcome may be cached per text): the parsed document or the refusal. */
export function parseWithinLimits(query: string, limits: DocumentLimits): { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: GraphQLError[] } {
  const lexical = lexicalCheck(query, limits);
  if (lexical) return { errors: [lexical] };
  try {
    return { document: parse(query, { maxTokens: limits.maxTokens }) };
  } catch (err) {
    return { errors: [parseFailed(err instanceof GraphQLError ? err.message : String(err))] };
  }
}

/** The parsed document, or the errors that refuse it (OPERATION_TOO_COMPLEX, GRAPHQL_PARSE_FAILED, a fragment cycle). */
export function checkDocument(
  query: string,
  limits: DocumentLimits,
  schema: GraphQLSchema | undefined,
  variables: Readonly<Record<string, unknown>> = {},
): DocumentCheck {
  const parsed = parseWithinLimits(query, limits);
  return parsed.errors ? parsed : checkParsed(parsed.document, limits, schema, variables);
}

/** Step 3 on a document that passed steps 1 and 2: depth, aliases, root fields and cost (the cost reads the variables). */
export function checkParsed(
  document: DocumentNode,
  limits: DocumentLimits,
  schema: GraphQLSchema | undefined,
  variables: Readonly<Record<string, unknown>> = {},
): DocumentCheck {
  let measured;
  try {
    measured = measureOperations(document, schema, { fleetSize: limits.costFleetSize, listSize: limits.costListSize }, variables);
  } catch (err) {
    if (!(err instanceof FragmentCycle)) throw err;
    return { document, errors: [new GraphQLError(err.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } })] };
  }
  const errors = measured.flatMap(({ operation, measure }) =>
    measureErrors(measure, limits, operation.name ? `Operation "${operation.name.value}"` : 'The operation'),
  );
  return errors.length ? { document, errors } : { document };
}
