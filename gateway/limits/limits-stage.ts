// The HTTP stage of the operation limits, after the body is read and before Apollo Server parses,
// validates or plans anything: trusted documents (when on), then the document limits
// (document-limits.ts). A refusal is 400 with the GraphQL error shape and goes into the audit line.
import type { RequestHandler } from 'express';
import { createHash } from 'node:crypto';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { auditRecordOf, summarize } from '../audit.js';
import { checkParsed, parseWithinLimits, type DocumentCheck, type DocumentLimits } from './document-limits.js';
import { measureReadsVariables } from './measure.js';
import { LRUCache } from 'lru-cache';
import type { TrustedDocuments } from './trusted-documents.js';

export interface LimitsStageOptions {
  limits: DocumentLimits;
  /** The API schema the cost model reads list types from (follows supergraph reloads). */
  schema: () => GraphQLSchema | undefined;
  trusted?: TrustedDocuments;
}

interface GraphQLRequestFields {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

function jsonParam(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function formatted(errors: readonly GraphQLError[]) {
  return errors.map((e) => {
    const { http: _http, ...extensions } = e.extensions as Record<string, unknown>;
    return { message: e.message, extensions };
  });
}

/** Texts whose lexer and parser outcome is remembered (dashboards send a few dozen; a scanner evicts), and their size bound. */
const CACHED_TEXTS = 500;
const CACHED_TEXT_MAX = 16_384;
/**
 * The cache's bound in estimated heap: a parsed document keeps its tokens (loc), ~90 bytes of heap per
 * character of text (measured on a 13 KB query: 1.2 MB), so distinct large texts cannot pile up.
 */
const CACHED_HEAP_BYTES = 8 * 2 ** 20;
const HEAP_PER_CHARACTER = 100;

interface CheckedText {
  parsed: ReturnType<typeof parseWithinLimits>;
  /** No cost argument holds a variable (measure.ts): the measure is cached with the schema it used. */
  variableFree: boolean;
  measured?: { schema: GraphQLSchema | undefined; check: DocumentCheck };
}

export function limitsStage(options: LimitsStageOptions): RequestHandler {
  // The lexer and parser steps depend on the text alone: once per text, not per request; so does the
  // measure unless a cost argument holds a variable. The parsed documents are only read.
  const texts = new LRUCache<string, CheckedText>({ max: CACHED_TEXTS, maxSize: CACHED_HEAP_BYTES, sizeCalculation: (_text, query) => Math.max(1, query.length * HEAP_PER_CHARACTER) });
  // A measure that reads no variable is the same for every request of that text (and schema).
  const measured = (text: CheckedText, document: DocumentNode, schema: GraphQLSchema | undefined, fields: GraphQLRequestFields): DocumentCheck => {
    if (text.variableFree && text.measured && text.measured.schema === schema) return text.measured.check;
    const check = checkParsed(document, options.limits, schema, variablesOf(fields));
    if (text.variableFree) text.measured = { schema, check };
    return check;
  };
  return (req, res, next) => {
    const url = req.method === 'GET' ? new URL(req.originalUrl, 'http://gateway') : undefined;
    const fields: GraphQLRequestFields | undefined = url
      ? {
          query: url.searchParams.get('query') ?? undefined,
          variables: jsonParam(url.searchParams.get('variables')),
          operationName: url.searchParams.get('operationName') ?? undefined,
          extensions: jsonParam(url.searchParams.get('extensions')),
          documentId: url.searchParams.get('documentId') ?? undefined,
        }
      : req.body && typeof req.body === 'object' && !Array.isArray(req.body)
        ? (req.body as GraphQLRequestFields)
        : undefined;
    if (!fields) return next(); // a batch or an empty body: Apollo Server refuses those itself
    const refuse = (errors: readonly GraphQLError[], document?: Parameters<typeof summarize>[0]) => {
      const record = auditRecordOf(res);
      record.code = String(errors[0]?.extensions.code ?? 'BAD_REQUEST');
      record.reason = errors[0]?.message;
      if (document) record.operation = summarize(document, typeof fields.operationName === 'string' ? fields.operationName : undefined, variablesOf(fields));
      res.status(400).json({ errors: formatted(errors) });
    };

    let query = fields.query;
    if (options.trusted) {
      const resolved = options.trusted.resolve(fields);
      if (typeof resolved !== 'string') return refuse([resolved]);
      query = resolved;
      if (url) {
        url.searchParams.set('query', resolved);
        req.url = `${url.pathname.replace(/^\/graphql/, '') || '/'}${url.search}`;
      } else (req.body as GraphQLRequestFields).query = resolved;
    }
    if (typeof query !== 'string') return next(); // a hash-only APQ request: its text passed this stage when it was registered
    const hash = (fields.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (!options.trusted && hash !== undefined && hash !== sha256(query)) {
      return refuse([new GraphQLError('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query.', { extensions: { code: 'BAD_REQUEST' } })]);
    }
    let text = texts.get(query);
    if (!text) {
      const parsed = parseWithinLimits(query, options.limits);
      text = { parsed, variableFree: !parsed.errors && !measureReadsVariables(parsed.document) };
      if (query.length <= CACHED_TEXT_MAX) texts.set(query, text);
    }
    const check = text.parsed.errors ? text.parsed : measured(text, text.parsed.document, options.schema(), fields);
    if (check.errors) return refuse(check.errors, check.document);
    next();
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function variablesOf(fields: GraphQLRequestFields): Record<string, unknown> {
  const v = fields.variables;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
