// The HTTP stage of the operation limits, after the body is read and before Apollo Server parses,
// validates or plans anything: trusted documents (when on), then the document limits
// (document-limits.ts). A refusal is 400 with the GraphQL error shape and goes into the audit line.
import type { RequestHandler } from 'express';
import { createHash } from 'node:crypto';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { auditRecordOf, summarize } from '../audit.js';
import { checkParsed, parseWithinLimits, type DocumentLimits } from './document-limits.js';
import { Lru } from '../subscriptions/lru.js';
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

export function limitsStage(options: LimitsStageOptions): RequestHandler {
  // The lexer and parser steps depend on the text alone: once per text, not per request (the cost,
  // which reads the variables, is measured every time). The parsed documents are only read.
  const texts = new Lru<string, ReturnType<typeof parseWithinLimits>>(CACHED_TEXTS);
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
    let parsed = texts.get(query);
    if (!parsed) {
      parsed = parseWithinLimits(query, options.limits);
      if (query.length <= CACHED_TEXT_MAX) texts.set(query, parsed);
    }
    const check = parsed.errors ? parsed : checkParsed(parsed.document, options.limits, options.schema(), variablesOf(fields));
    if (check.errors) return refuse(check.errors, check.document);
    next();
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function variablesOf(fields: GraphQLRequestFields): Record<string, unknown> {
  const v = fields.variables;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
