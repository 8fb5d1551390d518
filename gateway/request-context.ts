// The per-request context of an HTTP GraphQL request: its headers and its principal. The principal
// comes from the first plugin whose `authenticateRequest` has an opinion (anonymous when none has),
// before any other /graphql middleware, so rate limits and the like can use it; Apollo Server then
// gets it as its context and RemoteGraphQLDataSource forwards it to subgraphs (subgraph-data-source.ts).
import type { IncomingMessage } from 'node:http';
import type { BaseContext } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { log } from '../lib/log.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../lib/principal.js';

export interface GatewayContext extends BaseContext {
  /** The request's headers, lower-case names; repeated headers joined with ", ". Contains credentials: never log. */
  readonly headers: Readonly<Record<string, string>>;
  readonly principal: Principal;
}

export interface HttpAuthenticationContext {
  request: IncomingMessage;
  headers: Readonly<Record<string, string>>;
}

/** A principal accepts the request, null refuses it (401 UNAUTHENTICATED), undefined: no opinion. */
export type RequestAuthenticate = (
  ctx: HttpAuthenticationContext,
) => Principal | null | undefined | Promise<Principal | null | undefined>;

export function requestHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

interface Locals {
  gatewayContext?: GatewayContext;
}

const errorBody = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/** Resolves the request's context once (plugins in order, then anonymous) and keeps it on `res.locals`. */
export function authenticationMiddleware(authenticators: readonly RequestAuthenticate[]): RequestHandler {
  return async (req, res, next) => {
    const headers = requestHeaders(req);
    let principal: Principal | null | undefined;
    try {
      for (const authenticate of authenticators) {
        principal = await authenticate({ request: req, headers });
        if (principal !== undefined) break;
      }
    } catch (err) {
      // Never log headers: they carry credentials.
      log.error({ err: err instanceof Error ? err.message : String(err), path: req.originalUrl }, 'request authentication hook failed');
      res.status(500).json(errorBody('Authentication check failed.', 'INTERNAL_SERVER_ERROR'));
      return;
    }
    if (principal === null) {
      res.status(401).json(errorBody('Not authenticated.', 'UNAUTHENTICATED'));
      return;
    }
    (res.locals as Locals).gatewayContext = { headers, principal: principal ?? ANONYMOUS_PRINCIPAL };
    next();
  };
}

/** Apollo Server's context function: what authenticationMiddleware resolved. */
export async function gatewayContext({ req, res }: { req: Request; res: Response }): Promise<GatewayContext> {
  return (res.locals as Locals).gatewayContext ?? { headers: requestHeaders(req), principal: ANONYMOUS_PRINCIPAL };
}
