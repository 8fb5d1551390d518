// Credentials → a verified identity. One bearer token, from the `Authorization: Bearer …` header of an
// HTTP request or from the graphql-ws connection_init payload: a JWT (three base64url segments) is
// verified with jose against the configured JWKS (a URL, fetched and cached by jose, or a file) with
// issuer, audience, expiry and clock skew checked; anything else is an API key, looked up by its SHA-256
// digest in the policy. A bad credential is refused with a message that never repeats it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { Identity } from './grants.js';
import type { Policy } from './policy.js';
import { AuthenticationRefused } from './refused.js';

export interface JwtOptions {
  /** JWKS endpoint of the identity provider (e.g. https://idp/.well-known/jwks.json). */
  jwksUrl?: string;
  /** A JWKS document on disk (read at start). */
  jwksFile?: string;
  /** Required `iss`. */
  issuer?: string;
  /** Required `aud` (one of). */
  audience?: string | string[];
  /** Tolerated clock difference for exp / nbf / iat, s. Default 30. */
  clockSkewSeconds?: number;
}

/** Identity providers sign with a private key; a symmetric or `none` algorithm is never accepted. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

export class CredentialVerifier {
  private readonly keys?: KeySet;

  constructor(
    private readonly jwt: JwtOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    if (jwt.jwksUrl && jwt.jwksFile) throw new Error('set either a JWKS URL or a JWKS file, not both');
    if (jwt.jwksUrl) this.keys = createRemoteJWKSet(new URL(jwt.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    else if (jwt.jwksFile) this.keys = createLocalJWKSet(JSON.parse(readFileSync(jwt.jwksFile, 'utf8')) as JSONWebKeySet);
  }

  get acceptsJwt(): boolean {
    return this.keys !== undefined;
  }

  /** The identity of a bearer token; throws AuthenticationRefused (401) for a bad one. */
  async verify(token: string, policy: Policy): Promise<Identity> {
    if (JWT_SHAPE.test(token) && token.startsWith('eyJ')) return this.verifyJwt(token, policy);
    const digest = sha256Hex(token);
    const key = policy.apiKeys.find((k) => k.sha256 === digest);
    if (!key) throw new AuthenticationRefused(401, 'Unknown API key.');
    return { kind: 'apiKey', name: key.name, sha256: digest };
  }

  private async verifyJwt(token: string, policy: Policy): Promise<Identity> {
    if (!this.keys) throw new AuthenticationRefused(401, 'This gateway accepts no JWTs (no JWKS configured); use an API key.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.jwt.issuer,
        audience: this.jwt.audience,
        clockTolerance: this.jwt.clockSkewSeconds ?? 30,
        currentDate: new Date(this.now()),
        requiredClaims: ['exp'],
        algorithms: ASYMMETRIC,
      }));
    } catch (err) {
      throw jwtProblem(err);
    }
    const user = payload[policy.claims.user];
    if (typeof user !== 'string' || user === '') throw new AuthenticationRefused(401, `The token has no "${policy.claims.user}" claim naming the user.`);
    const rawGroups = payload[policy.claims.groups];
    const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
    return { kind: 'user', user, groups, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined };
  }
}

function jwtProblem(err: unknown): AuthenticationRefused {
  const refused = (message: string) => new AuthenticationRefused(401, message);
  if (err instanceof joseErrors.JWTExpired) return refused('The token has expired.');
  if (err instanceof joseErrors.JWTClaimValidationFailed) return refused(`The token was refused: claim "${err.claim}" ${err.reason === 'check_failed' ? 'does not match' : err.reason}.`);
  if (err instanceof joseErrors.JWKSNoMatchingKey) return refused('The token is signed with a key this gateway does not know.');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return refused('The token signature is not valid.');
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return refused('The token is signed with an algorithm this gateway does not accept.');
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || (err instanceof TypeError && /fetch/i.test(err.message))) {
    return new AuthenticationRefused(503, 'The identity provider keys could not be fetched; try again.');
  }
  return refused('The token is not valid.');
}

/** The bearer token of `Authorization: Bearer …` (or a bare value), if any. */
export function bearerOf(authorization: string | undefined): string | undefined {
  if (!authorization || authorization.trim() === '') return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return (match ? match[1] : authorization).trim() || undefined;
}
