// The per-identity rate limit (limits/rate-limit.ts) at both entrances: an HTTP request over the rate
// is 429 RATE_LIMITED with Retry-After before its body is read; a subscribe message over it is refused
// with a RATE_LIMITED error (the connection stays open). Identity = the principal's subject, or the
// remote address for anonymous callers.
import { GraphQLError } from 'graphql';
import { auditRecordOf } from '../audit.js';
import { RateLimiter, rateLimitKey } from '../limits/rate-limit.js';
import type { GatewayContext } from '../request-context.js';
import type { GatewayPlugin } from './plugin.js';

const message = (seconds: number) => `Too many requests from this identity; retry in ${seconds} s.`;

export function rateLimitPlugin(limiter: RateLimiter): GatewayPlugin {
  return {
    name: 'rate-limit',
    middleware: (req, res, next) => {
      const context = (res.locals as { gatewayContext?: GatewayContext }).gatewayContext;
      const wait = limiter.take(rateLimitKey(context?.principal.subject, req.socket.remoteAddress));
      if (wait === 0) return next();
      const record = auditRecordOf(res);
      record.code = 'RATE_LIMITED';
      record.reason = 'rate limit';
      res.setHeader('retry-after', String(wait));
      res.status(429).json({ errors: [{ message: message(wait), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: wait } }] });
    },
    subscriptions: {
      authorize: (principal) => {
        // Subscribers are counted by subject only: the upgrade's address is not known here.
        const wait = limiter.take(rateLimitKey(principal.subject, 'websocket'));
        return wait === 0 ? true : new GraphQLError(message(wait), { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: wait } });
      },
    },
  };
}
