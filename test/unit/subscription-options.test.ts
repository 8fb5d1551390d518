// Bearer tokens in connection_init payloads (WS_* limits are read by lib/config.ts: config.test.ts).
import { bearerToken } from '../../gateway/subscriptions/auth.js';

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
