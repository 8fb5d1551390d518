// What an access test needs of an identity provider and a policy: a real JWKS served over HTTP with
// keys generated at test start (and a second key the gateway does not know, for forged tokens), JWTs
// signed with them, API keys with their digests, and a policy file written where the gateway reads it.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { stringify } from 'yaml';
import { sha256Hex } from '../../gateway/auth/credentials.js';

export const ISSUER = 'https://idp.test.fleetgraph';
export const AUDIENCE = 'fleetgraph';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface IdentityProvider {
  jwksUrl: string;
  /** A token signed with the published key; `expiresIn` in seconds (default 1 h), claims override the defaults. */
  token(claims: Record<string, unknown>, options?: { expiresIn?: number; audience?: string; issuer?: string; key?: 'published' | 'unknown' }): Promise<string>;
  /** JWKS fetches so far. */
  fetches(): number;
  stop(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const published = await generateKeyPair('RS256');
  const unknown = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(published.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches++;
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sign = (key: PrivateKey, kid: string, claims: Record<string, unknown>, o: { expiresIn?: number; audience?: string; issuer?: string }) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(o.issuer ?? ISSUER)
      .setAudience(o.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (o.expiresIn ?? 3600))
      .sign(key);
  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    token: (claims, options = {}) =>
      options.key === 'unknown' ? sign(unknown.privateKey, 'test-key-1', claims, options) : sign(published.privateKey, 'test-key-1', claims, options),
    fetches: () => fetches,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ApiKey {
  key: string;
  sha256: string;
}

export function newApiKey(): ApiKey {
  const key = `fgk_${randomBytes(24).toString('base64url')}`;
  return { key, sha256: sha256Hex(key) };
}

export function writePolicy(path: string, policy: Record<string, unknown>): string {
  writeFileSync(path, stringify(policy));
  return path;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
