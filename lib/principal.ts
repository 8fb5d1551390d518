// Who a request is for, and how the gateway tells the subgraphs: one header, `x-fleetgraph-principal`,
// whose value is `v1.<base64url(JSON principal)>`. The gateway encodes it for every subgraph fetch
// (queries, mutations and subscription entity fetches); a subgraph decodes it into its context.
// Both sides go through a codec made by `principalCodec(options)`, so when the auth issue signs the
// header (`v1.<payload>.<signature>`, the key in the options) no caller changes: the subgraph keeps
// calling `codec.fromHeaders(req.headers)`. Until then the header is unsigned, so a subgraph must only
// be reachable through the gateway (compose and the launcher bind subgraphs to loopback / the pod
// network), and a value carrying a signature is refused rather than trusted unverified.
import type { IncomingHttpHeaders } from 'node:http';

export interface Principal {
  /**
   * Authorization scope: identical subscriptions share one upstream stream and one computed result
   * only within the same scope, so it must capture everything that can change what a caller may
   * see (e.g. a tenant or role set). Never a token: it appears in keys and may appear in logs.
   */
  scope: string;
  /** Who this is, for logs (never a token). */
  subject?: string;
  /** Anything authorize hooks or subgraphs need later (e.g. verified claims). JSON values only. */
  claims?: Readonly<Record<string, unknown>>;
}

/** Everybody until the auth model lands (as HTTP and graphql-ws have always been). */
export const ANONYMOUS_PRINCIPAL: Readonly<Principal> = Object.freeze({ scope: 'public', subject: 'anonymous' });

export const PRINCIPAL_HEADER = 'x-fleetgraph-principal';

/** Larger values are refused: proxies commonly cap a header at 8 KiB. */
export const MAX_PRINCIPAL_HEADER_BYTES = 4096;

const VERSION = 'v1';

/** The header is malformed, too large or carries a signature this codec cannot verify. */
export class PrincipalHeaderError extends Error {
  override readonly name = 'PrincipalHeaderError';
}

/** Reserved for the auth issue (a signing key, whether the header is required); nothing to set yet. */
export type PrincipalCodecOptions = Record<string, never>;

export interface PrincipalCodec {
  /** The header value for a principal. */
  encode(principal: Principal): string;
  /** The principal of a header value; anonymous when there is none. Throws PrincipalHeaderError. */
  decode(value: string | readonly string[] | undefined): Principal;
  /** `decode` of the principal header in Node/Express request headers. */
  fromHeaders(headers: IncomingHttpHeaders | Readonly<Record<string, string | string[] | undefined>>): Principal;
}

function toPrincipal(value: unknown): Principal {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PrincipalHeaderError('principal is not a JSON object');
  const { scope, subject, claims } = value as Record<string, unknown>;
  if (typeof scope !== 'string' || scope === '') throw new PrincipalHeaderError('principal has no scope');
  if (subject !== undefined && typeof subject !== 'string') throw new PrincipalHeaderError('principal subject is not a string');
  if (claims !== undefined && (!claims || typeof claims !== 'object' || Array.isArray(claims))) {
    throw new PrincipalHeaderError('principal claims are not an object');
  }
  return { scope, ...(subject === undefined ? {} : { subject }), ...(claims === undefined ? {} : { claims: claims as Record<string, unknown> }) };
}

export function principalCodec(_options: PrincipalCodecOptions = {}): PrincipalCodec {
  const codec: PrincipalCodec = {
    encode(principal) {
      const value = `${VERSION}.${Buffer.from(JSON.stringify(toPrincipal(principal))).toString('base64url')}`;
      if (value.length > MAX_PRINCIPAL_HEADER_BYTES) throw new PrincipalHeaderError(`principal header larger than ${MAX_PRINCIPAL_HEADER_BYTES} bytes`);
      return value;
    },
    decode(raw) {
      if (raw === undefined) return ANONYMOUS_PRINCIPAL;
      if (typeof raw !== 'string') {
        if (raw.length !== 1) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} sent ${raw.length} times`);
        raw = raw[0];
      }
      if (raw.length > MAX_PRINCIPAL_HEADER_BYTES) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} larger than ${MAX_PRINCIPAL_HEADER_BYTES} bytes`);
      const parts = raw.split('.');
      if (parts[0] !== VERSION) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is not a ${VERSION} principal`);
      if (parts.length === 3) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is signed, but no key to verify it is configured`);
      if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[1])) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is malformed`);
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      } catch {
        throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is not base64url JSON`);
      }
      return toPrincipal(json);
    },
    fromHeaders(headers) {
      return codec.decode(headers[PRINCIPAL_HEADER]);
    },
  };
  return codec;
}

/** The scopes a principal was granted (`claims.scopes`: `read`, `o2ims:write`, `admin` …); none when absent. */
export function scopesOf(principal: Principal): readonly string[] {
  const scopes = principal.claims?.scopes;
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
}
