// The access policy file (gateway/auth/policy.ts) and what it makes of an identity (grants.ts): strict
// parsing that names the problem, grants merged into one principal whose scope digests exactly what
// decides visibility.
import { parsePolicy } from '../../gateway/auth/policy.js';
import { principalFor, type Identity } from '../../gateway/auth/grants.js';
import { accessRulesOf } from '../../lib/access-rules.js';
import { scopesOf } from '../../lib/principal.js';

const KEY = 'a'.repeat(64);
const POLICY = `
claims: { user: preferred_username }
apiKeys:
  - { name: ci, sha256: ${KEY} }
grants:
  - name: noc-east
    groups: [noc]
    clusters: [{ key: region, value: east }, { key: role, value: edge }]
    scopes: [read]
  - name: ran-vendor
    users: [bob]
    clusters: [{ key: role, op: IN, values: [edge, regional] }]
    namespaces: [vendor-ran]
    scopes: [read]
  - name: automation
    apiKeys: [ci]
    scopes: [read, o2ims:write]
  - name: status-page
    anonymous: true
    clusters: [{ key: role, value: hub }]
    scopes: [read]
`;

describe('parsing', () => {
  it('reads claims, API keys and grants with their defaults', () => {
    const policy = parsePolicy(POLICY);
    expect(policy.claims).toEqual({ user: 'preferred_username', groups: 'groups' });
    expect(policy.apiKeys).toEqual([{ name: 'ci', sha256: KEY }]);
    expect(policy.grants.map((g) => [g.name, g.anonymous, g.scopes])).toEqual([
      ['noc-east', false, ['read']],
      ['ran-vendor', false, ['read']],
      ['automation', false, ['read', 'o2ims:write']],
      ['status-page', true, ['read']],
    ]);
    expect(parsePolicy('').grants).toEqual([]);
  });

  it.each([
    ['an unknown key', 'grants: [{ name: a, scopes: [read], cluster: [] }]', /grant "a": unknown key "cluster"/],
    ['a grant naming an unknown API key', 'grants: [{ name: a, apiKeys: [nope], scopes: [read] }]', /no API key named "nope"/],
    ['a grant without scopes', 'grants: [{ name: a, users: [x] }]', /at least one scope/],
    ['a malformed scope', 'grants: [{ name: a, scopes: ["Read!"] }]', /not a valid name/],
    ['an EQUALS filter without a value', 'grants: [{ name: a, scopes: [read], clusters: [{ key: region }] }]', /EQUALS needs a value/],
    ['an unknown operator', 'grants: [{ name: a, scopes: [read], clusters: [{ key: region, op: LIKE, value: x }] }]', /"LIKE" is not one of/],
    ['a digest that is not SHA-256', 'apiKeys: [{ name: k, sha256: abc }]', /64 hex digits/],
    ['a grant listed twice', 'grants: [{ name: a, scopes: [read] }, { name: a, scopes: [read] }]', /"a" is listed twice/],
    ['not YAML', 'grants: [', /not YAML/],
  ])('refuses %s, naming the place', (_what, source, message) => {
    expect(() => parsePolicy(source)).toThrow(message);
  });
});

describe('principals from grants', () => {
  const policy = parsePolicy(POLICY);
  const alice: Identity = { kind: 'user', user: 'alice', groups: ['noc'], expiresAt: 1_800_000_000_000 };

  it('gives a user the grants of its groups, with the access rules and the token expiry', () => {
    const p = principalFor(policy, alice)!;
    expect(p.subject).toBe('user:alice');
    expect(scopesOf(p)).toEqual(['read']);
    expect(accessRulesOf(p)).toEqual([{ clusters: [{ key: 'region', op: 'EQUALS', value: 'east' }, { key: 'role', op: 'EQUALS', value: 'edge' }] }]);
    expect(p.expiresAt).toBe(1_800_000_000_000);
  });

  it('unites several grants; one without cluster or namespace rules makes the principal unrestricted', () => {
    const both = principalFor(policy, { kind: 'user', user: 'bob', groups: ['noc'] })!;
    expect(accessRulesOf(both)).toHaveLength(2);
    const key = principalFor(policy, { kind: 'apiKey', name: 'ci', sha256: KEY })!;
    expect(accessRulesOf(key)).toBeNull();
    expect(scopesOf(key)).toEqual(['o2ims:write', 'read']);
  });

  it('gives anonymous callers only the anonymous grants, and nothing to identities no grant names', () => {
    expect(principalFor(policy, { kind: 'anonymous' })).toMatchObject({ subject: 'anonymous', claims: { scopes: ['read'], access: [{ clusters: [{ key: 'role', value: 'hub' }] }] } });
    expect(principalFor(policy, { kind: 'user', user: 'mallory', groups: ['contractors'] })).toBeNull();
    // A key whose digest is no longer the policy's (rotated) grants nothing.
    expect(principalFor(policy, { kind: 'apiKey', name: 'ci', sha256: 'b'.repeat(64) })).toBeNull();
  });

  it('shares the scope between callers with the same rights, and only them', () => {
    const carol = principalFor(policy, { kind: 'user', user: 'carol', groups: ['noc'] })!;
    expect(carol.scope).toBe(principalFor(policy, alice)!.scope);
    expect(carol.scope).not.toBe(principalFor(policy, { kind: 'user', user: 'bob', groups: [] })!.scope);
    expect(carol.scope).not.toContain('alice');
  });
});
