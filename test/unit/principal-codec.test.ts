// The principal header codec both sides share (lib/principal.ts).
import { ANONYMOUS_PRINCIPAL, PRINCIPAL_HEADER, PrincipalHeaderError, principalCodec } from '../../lib/principal.js';

const codec = principalCodec();
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('principal header codec', () => {
  it('round-trips a principal through one versioned base64url header value', () => {
    const principal = { scope: 'noc', subject: 'alice', claims: { roles: ['noc', 'ran'], tenant: 'east' } };
    const value = codec.encode(principal);
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(value)).toEqual(principal);
    expect(codec.fromHeaders({ [PRINCIPAL_HEADER]: value, host: 'x' })).toEqual(principal);
  });

  it('is anonymous without the header', () => {
    expect(codec.fromHeaders({})).toEqual({ scope: 'public', subject: 'anonymous' });
    expect(codec.decode(undefined)).toBe(ANONYMOUS_PRINCIPAL);
  });

  it.each([
    ['another version', `v0.${b64({ scope: 'a' })}`, /not a v1 principal/],
    ['a signature it cannot verify', `v1.${b64({ scope: 'a' })}.c2ln`, /signed, but no key/],
    ['garbage', 'v1.***', /malformed/],
    ['non-JSON', `v1.${b64('nope')}`, /not base64url JSON/],
    ['no scope', `v1.${b64({ subject: 'x' })}`, /no scope/],
    ['claims that are not an object', `v1.${b64({ scope: 'a', claims: [1] })}`, /claims are not an object/],
    ['an oversized value', `v1.${'A'.repeat(5000)}`, /larger than 4096 bytes/],
  ])('refuses %s', (_what, value, message) => {
    expect(() => codec.decode(value)).toThrow(PrincipalHeaderError);
    expect(() => codec.decode(value)).toThrow(message);
  });

  it('refuses the header sent twice', () => {
    const v = codec.encode({ scope: 'a' });
    expect(() => codec.decode([v, v])).toThrow(/sent 2 times/);
  });
});

describe('signed principal header (a key shared by the gateway and its subgraphs)', () => {
  const key = 'k'.repeat(40);
  let now = Date.UTC(2026, 10, 1);
  const signed = principalCodec({ key, now: () => now });
  const principal = { scope: 'policy:abc', subject: 'user:alice', claims: { scopes: ['read'] }, expiresAt: now + 3_600_000 };

  it('round-trips, with a signature segment', () => {
    const value = signed.encode(principal);
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(signed.decode(value)).toEqual(principal);
  });

  it.each([
    ['missing', undefined, /no x-fleetgraph-principal/],
    ['unsigned', codec.encode({ scope: 'admin', subject: 'mallory' }), /not signed/],
    ['signed with another key', principalCodec({ key: 'x'.repeat(40) }).encode({ scope: 'admin' }), /bad signature/],
  ])('refuses a %s header with 401', (_what, value, message) => {
    try {
      signed.decode(value);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(PrincipalHeaderError);
      expect((err as PrincipalHeaderError).status).toBe(401);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('refuses a payload changed after signing', () => {
    const [v, , sig] = signed.encode(principal).split('.');
    const forged = `${v}.${b64({ ...principal, scope: 'admin', exp: Math.floor(now / 1000) + 60 })}.${sig}`;
    expect(() => signed.decode(forged)).toThrow(/bad signature/);
  });

  it('refuses a value older than its lifetime plus the clock skew', () => {
    const value = signed.encode(principal);
    now += 85_000; // 60 s lifetime + 30 s skew not yet over
    expect(signed.decode(value)).toEqual(principal);
    now += 10_000;
    expect(() => signed.decode(value)).toThrow(/expired/);
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => principalCodec({ key: 'short' })).toThrow(/at least 32/);
  });
});
