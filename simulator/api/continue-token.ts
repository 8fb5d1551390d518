// List continue tokens in the real server's encoding (storage/continue.go): base64 of
// {"v":"meta.k8s.io/v1","rv":<list RV>,"start":"<next key>"}. Clients treat it as opaque.
import { badRequest } from './status.js';

export interface ContinueToken {
  /** resourceVersion of the first page: every page of one list reports it. */
  rv: number;
  /** Store key (`namespace/name` or `name`) of the first object of the next page. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString('base64url');
}

export function decodeContinue(value: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p === null || typeof p !== 'object' || p.v !== 'meta.k8s.io/v1') {
    throw badRequest('continue key is not valid: server does not recognize this encoded key');
  }
  if (typeof p.rv !== 'number' || !Number.isInteger(p.rv) || p.rv <= 0 || typeof p.start !== 'string') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return { rv: p.rv, start: p.start };
}
