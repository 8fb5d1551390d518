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
