// Which web pages may call the gateway (ALLOWED_ORIGINS). A request or WebSocket upgrade without an
// Origin header (curl, scripts, other services) is not a browser page and is let through; a same-origin
// page (GraphiQL served by this gateway) always is; any other origin must be listed — none is by
// default — else the request is refused with 403 ORIGIN_NOT_ALLOWED and the upgrade with 403, so a page
// an operator happens to have open cannot subscribe to the fleet with the operator's browser.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { auditRecordOf } from './audit.js';

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;
  private readonly any: boolean;

  /** `origins`: exact origins (`https://noc.example.net`), or `*` for any. */
  constructor(origins: readonly string[] = []) {
    this.any = origins.includes('*');
    this.allowed = new Set(origins.filter((o) => o !== '*').map((o) => o.replace(/\/+$/, '').toLowerCase()));
  }

  /** Whether a request from `origin` (the Origin header, if any) to this server may proceed. */
  allows(origin: string | undefined, request: IncomingMessage): boolean {
    if (origin === undefined || origin === '') return true;
    const normalized = origin.toLowerCase();
    if (this.any || this.allowed.has(normalized)) return true;
    return sameOrigin(normalized, request);
  }

  /** Whether the origin needs CORS headers (it is listed and not this server's own). */
  crossOriginAllowed(origin: string, request: IncomingMessage): boolean {
    const normalized = origin.toLowerCase();
    return (this.any || this.allowed.has(normalized)) && !sameOrigin(normalized, request);
  }
}

function sameOrigin(origin: string, request: IncomingMessage): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = request.headers.host?.toLowerCase();
  const secure = 'encrypted' in request.socket && Boolean((request.socket as { encrypted?: boolean }).encrypted);
  return host !== undefined && url.host === host && url.protocol === (secure ? 'https:' : 'http:');
}

const ALLOWED_HEADERS = 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-api-key';

/** CORS for /graphql: preflights answered for listed origins, everything from other origins refused. */
export function originMiddleware(policy: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!policy.allows(origin, req)) {
      const record = auditRecordOf(res);
      record.code = 'ORIGIN_NOT_ALLOWED';
      record.reason = `origin ${origin} is not allowed`;
      res.status(403).json({ errors: [{ message: `Requests from ${origin} are not allowed (ALLOWED_ORIGINS).`, extensions: { code: 'ORIGIN_NOT_ALLOWED' } }] });
      return;
    }
    if (origin && policy.crossOriginAllowed(origin, req)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
        res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
        res.setHeader('access-control-max-age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
