import { describe, expect, it } from '@jest/globals';
import { decodeContinue, encodeContinue } from '../../simulator/api/continue-token.js';
import { ApiError } from '../../simulator/api/status.js';

function error(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected an error');
}

describe('continue tokens', () => {
  it('round-trip in the real server’s encoding', () => {
    const token = encodeContinue({ rv: 42, start: 'vdu/vdu-1\u0000' });
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'vdu/vdu-1\u0000' });
    expect(decodeContinue(token)).toEqual({ rv: 42, start: 'vdu/vdu-1\u0000' });
  });

  it('refuses tampered tokens with 400 BadRequest', () => {
    for (const bad of ['%%%', Buffer.from('{"v":"other","rv":1,"start":""}').toString('base64url'), Buffer.from('{"v":"meta.k8s.io/v1","rv":-1,"start":""}').toString('base64url')]) {
      const err = error(() => decodeContinue(bad));
      expect(err.code).toBe(400);
      expect(err.reason).toBe('BadRequest');
      expect(err.message).toMatch(/^continue key is not valid/);
    }
  });
});
