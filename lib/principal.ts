// Who a request is for, and how the gateway tells the subgraphs: one header, `x-fleetgraph-principal`.
// The gateway encodes it for every subgraph fetch (queries, mutations, subscription entity fetches and
// the connection_init of its upstream subscriptions); a subgraph decodes it into its context. Both sides
// go through a codec made by `principalCodec(options)`.
//
// With a key (PRINCIPAL_SIGNING_KEY, shared by the gateway and its subgraphs; the launcher makes one per
// stack) the value is `v1.<base64url(JSON principal + exp)>.<base64url(HMAC-SHA256(key, "v1.<payload>"))>`,
// valid for `ttlSeconds` (60): a subgraph refuses a missing, unsigned, forged or expired header, so a
// client that reaches a subgraph directly cannot claim to be anybody. Over graphql-ws it is checked once,
// at connection_init (the gateway signs afresh on each connect), not on each subscribe of the connection. HMAC-SHA256 comes from node:crypto
// (the standard primitive, compared in constant time) rather than a JWS library so that encoding and
// decoding stay synchronous on the per-fetch path; client JWTs are verified with jose (gateway/auth).
// Without a key (a subgraph started alone in a test) the value is `v1.<payload>`, and a signed value is
// refused rather than trusted unverified.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Principal {
  /**
   * Authorization scope: identical subscriptions share one upstream stream and one computed result
   * only within the same scope, so it must capture everything that can change what a caller may
   * see (the gateway's access policy makes it a digest of the caller's scopes and cluster/namespace
   * rules). Never a token: it appears in keys and may appear in logs.
   */
  scope: string;
  /** Who this is, for logs (never a token). */
  subject?: string;
  /** Anything authorize hooks or subgraphs need later (verified scopes, access rules). JSON values only. */
  claims?: Readonly<Record<string, unknown>>;
  /** When the credential behind this principal expires (ms since the epoch): its subscriptions end then. */
  expiresAt?: number;
}

/** Everybody when no access policy is configured (a gateway or subgraph started alone, in tests). */
export const ANONYMOUS_PRINCIPAL: Readonly<Principal> = Object.freeze({ scope: 'public', subject: 'anonymous' });

export const PRINCIPAL_HEADER = 'x-fleetgraph-principal';

/** Larger values are refused: proxies commonly cap a header at 8 KiB. */
export const MAX_PRINCIPAL_HEADER_BYTES = 4096;

/** A signing key shorter than this is refused (HMAC-SHA256 keys should carry at least 256 bits). */
export const MIN_PRINCIPAL_KEY_LENGTH = 32;

const VERSION = 'v1';

/** The header is missing, malformed, too large, unsigned, forged or expired. */
export class PrincipalHeaderError extends Error {
  override readonly name = 'PrincipalHeaderError';
  constructor(
    message: string,
    /** 400: the value is malformed; 401: it is not a principal this side may trust. */
    readonly status: 400 | 401 = 400,
  ) {
    super(message);
  }
}

export interface PrincipalCodecOptions {
  /** The shared signing key; unset: unsigned values (and a signed one is refused). */
  key?: string;
  /** How long a signed value is valid, s. Default 60. */
  ttlSeconds?: number;
  /** Clock difference tolerated between gateway and subgraph hosts, s. Default 30. */
  clockSkewSeconds?: number;
  now?: () => number;
}

export interface PrincipalCodec {
  /** Whether values are signed (and unsigned or missing ones refused). */
  readonly signed: boolean;
  /** The header value for a principal. */
  encode(principal: Principal): string;
  /** The principal of a header value; anonymous when there is none and no key is set. Throws PrincipalHeaderError. */
  decode(value: string | readonly string[] | undefined): Principal;
  /** `decode` of the principal header in Node/Express request headers. */
  fromHeaders(headers: IncomingHttpHeaders | Readonly<Record<string, string | string[] | undefined>>): Principal;
}

function toPrincipal(value: unknown): Principal {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PrincipalHeaderError('principal is not a JSON object');
  const { scope, subject, claims, expiresAt } = value as Record<string, unknown>;
  if (typeof scope !== 'string' || scope === '') throw new PrincipalHeaderError('principal has no scope');
  if (subject !== undefined && typeof subject !== 'string') throw new PrincipalHeaderError('principal subject is not a string');
  if (claims !== undefined && (!claims || typeof claims !== 'object' || Array.isArray(claims))) {
    throw new PrincipalHeaderError('principal claims are not an object');
  }
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) throw new PrincipalHeaderError('principal expiresAt is not a number');
  return {
    scope,
    ...(subject === undefined ? {} : { subject }),
    ...(claims === undefined ? {} : { claims: claims as Record<string, unknown> }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

function single(raw: string | readonly string[]): string {
  if (typeof raw === 'string') return raw;
  if (raw.length !== 1) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} sent ${raw.length} times`);
  return raw[0];
}

function parsePayload(payload: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is malformed`);
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is not base64url JSON`);
  }
}

export function principalCodec(options: PrincipalCodecOptions = {}): PrincipalCodec {
  const { key } = options;
  if (key !== undefined && key.length < MIN_PRINCIPAL_KEY_LENGTH) {
    throw new Error(`the principal signing key must be at least ${MIN_PRINCIPAL_KEY_LENGTH} characters`);
  }
  const ttlSeconds = options.ttlSeconds ?? 60;
  const skewSeconds = options.clockSkewSeconds ?? 30;
  const nowSeconds = () => Math.floor((options.now?.() ?? Date.now()) / 1000);
  const sign = (signed: string) => createHmac('sha256', key!).update(signed).digest();

  const codec: PrincipalCodec = {
    signed: key !== undefined,
    encode(principal) {
      const body = toPrincipal(principal);
      const payload = Buffer.from(JSON.stringify(key === undefined ? body : { ...body, exp: nowSeconds() + ttlSeconds })).toString('base64url');
      const unsigned = `${VERSION}.${payload}`;
      const value = key === undefined ? unsigned : `${unsigned}.${sign(unsigned).toString('base64url')}`;
      if (value.length > MAX_PRINCIPAL_HEADER_BYTES) throw new PrincipalHeaderError(`principal header larger than ${MAX_PRINCIPAL_HEADER_BYTES} bytes`);
      return value;
    },
    decode(raw) {
      if (raw === undefined) {
        if (key !== undefined) throw new PrincipalHeaderError(`no ${PRINCIPAL_HEADER}: this subgraph answers only its gateway`, 401);
        return ANONYMOUS_PRINCIPAL;
      }
      const value = single(raw);
      if (value.length > MAX_PRINCIPAL_HEADER_BYTES) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} larger than ${MAX_PRINCIPAL_HEADER_BYTES} bytes`);
      const parts = value.split('.');
      if (parts[0] !== VERSION) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is not a ${VERSION} principal`);
      if (key === undefined) {
        if (parts.length === 3) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is signed, but no key to verify it is configured`);
        if (parts.length !== 2) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is malformed`);
        return toPrincipal(parsePayload(parts[1]));
      }
      if (parts.length === 2) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is not signed: this subgraph answers only its gateway`, 401);
      if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[2])) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} is malformed`);
      const expected = sign(`${parts[0]}.${parts[1]}`);
      const given = Buffer.from(parts[2], 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} has a bad signature`, 401);
      }
      const { exp, ...body } = parsePayload(parts[1]);
      if (typeof exp !== 'number' || exp + skewSeconds < nowSeconds()) throw new PrincipalHeaderError(`${PRINCIPAL_HEADER} has expired`, 401);
      return toPrincipal(body);
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

/** Whether the principal holds `scope` (or `admin`, which holds every scope). */
export function hasScope(principal: Principal, scope: string): boolean {
  const granted = scopesOf(principal);
  return granted.includes(scope) || granted.includes('admin');
}
