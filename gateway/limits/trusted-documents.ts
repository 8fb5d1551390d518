// Trusted documents (TRUSTED_DOCUMENTS_FILE): in production a gateway can run only the operations its
// clients were built with. The file is an Apollo persisted-query manifest
// (`{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id","body",…}]}`) or a plain
// `{"<sha256 hex>": "<document>"}` map. A request names its document by `documentId`, by
// `extensions.persistedQuery.sha256Hash` (APQ-style), or sends the exact text of a listed document;
// anything else is refused (400) before it is parsed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class TrustedDocuments {
  private readonly byId = new Map<string, string>();

  constructor(manifest: unknown, source = 'trusted documents') {
    const entries: [string, unknown][] =
      manifest && typeof manifest === 'object' && Array.isArray((manifest as { operations?: unknown }).operations)
        ? (manifest as { operations: { id?: unknown; body?: unknown }[] }).operations.map((o) => [String(o.id ?? ''), o.body])
        : Object.entries((manifest ?? {}) as Record<string, unknown>);
    for (const [id, body] of entries) {
      if (typeof body !== 'string' || body.trim() === '') throw new Error(`${source}: document "${id}" has no text`);
      const digest = sha256(body);
      if (id && id.toLowerCase() !== digest) throw new Error(`${source}: document "${id}" is not the SHA-256 of its text (${digest})`);
      this.byId.set(digest, body);
    }
    if (this.byId.size === 0) throw new Error(`${source}: no documents`);
  }

  static fromFile(path: string): TrustedDocuments {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read the trusted documents file ${path}: ${(err as Error).message}`);
    }
    return new TrustedDocuments(parsed, path);
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * The text to run for a request (its `query`, `documentId` and `extensions`), or the error that
   * refuses it: an unknown id, or a document that is not in the list.
   */
  resolve(request: { query?: unknown; documentId?: unknown; extensions?: unknown }): string | GraphQLError {
    const ext = request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
    const id = typeof request.documentId === 'string' ? request.documentId : ext?.persistedQuery?.sha256Hash;
    if (typeof id === 'string' && id !== '') {
      const text = this.byId.get(id.replace(/^sha256:/, '').toLowerCase());
      if (text !== undefined) return text;
      return refusal('PERSISTED_QUERY_NOT_IN_LIST', `Document ${id.slice(0, 80)} is not one of this gateway's trusted documents.`);
    }
    if (typeof request.query === 'string' && this.byId.has(sha256(request.query))) return request.query;
    return refusal('OPERATION_NOT_TRUSTED', 'This gateway runs trusted documents only: send the id of a registered document (documentId or extensions.persistedQuery.sha256Hash).');
  }
}

function refusal(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}
