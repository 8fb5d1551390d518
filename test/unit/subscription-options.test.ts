// Configuration helpers of the subscription server: WS_* environment limits and bearer tokens in
// connection_init payloads.
import { bearerToken } from '../../gateway/subscriptions/auth.js';
import { DEFAULT_LIMITS, limitsFromEnv } from '../../gateway/subscriptions/options.js';

describe('limitsFromEnv', () => {
  it('reads WS_* variables and leaves the rest to the defaults', () => {
    expect(limitsFromEnv({ WS_MAX_SUBSCRIPTIONS: '10000', WS_IDLE_TIMEOUT_MS: '0', OTHER: '1' })).toEqual({
      maxSubscriptions: 10_000,
      idleTimeoutMs: 0,
    });
    expect(DEFAULT_LIMITS.maxSubscriptionsPerConnection).toBeGreaterThan(0);
  });

  it('rejects values that are not non-negative numbers', () => {
    expect(() => limitsFromEnv({ WS_MAX_PAYLOAD_BYTES: '64k' })).toThrow('WS_MAX_PAYLOAD_BYTES must be a non-negative number, got "64k"');
    expect(() => limitsFromEnv({ WS_MAX_CONNECTIONS: '-1' })).toThrow(/WS_MAX_CONNECTIONS/);
  });
});

describe('bearerToken', () => {
  it.each([
    [{ authorization: 'Bearer abc' }, 'abc'],
    [{ Authorization: 'bearer abc' }, 'abc'],
    [{ headers: { authorization: 'Bearer abc' } }, 'abc'],
    [{ authorization: 'abc' }, 'abc'],
    [{ authorization: '' }, undefined],
    [{ authorization: 42 }, undefined],
    [{}, undefined],
  ])('%j → %s', (params, token) => {
    expect(bearerToken(params)).toBe(token);
  });
});
