// Combines the gateway's plugins into what Apollo Server, Express, the subscription server and
// /metrics take. Order is the list's: middleware runs in list order, the first plugin with an opinion
// authenticates a connection, every plugin's authorize must allow, close runs in reverse order.
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Registry } from 'prom-client';
import { log } from '../../lib/log.js';
import { allowAll, allowAnonymous, type Authenticate, type Authorize } from '../subscriptions/auth.js';
import type { GatewayContext, RequestAuthenticate } from '../request-context.js';
import type { GatewayPlugin } from './plugin.js';

export interface ComposedPlugins {
  apollo: ApolloServerPlugin<GatewayContext>[];
  /** HTTP authentication hooks in order (request-context.ts runs them). */
  requestAuthenticators: RequestAuthenticate[];
  middleware: RequestHandler[];
  /** Registries for /metrics (merged with the subscription server's at scrape time). */
  registries: Registry[];
  /** graphql-ws authenticate: plugins in order, then `fallback` (default: anonymous). */
  authenticate(fallback?: Authenticate): Authenticate;
  /** graphql-ws authorize: `base` (default: allow) and every plugin's. */
  authorize(base?: Authorize): Authorize;
  close(): Promise<void>;
}

export function composePlugins(plugins: readonly GatewayPlugin[]): ComposedPlugins {
  const names = new Set<string>();
  for (const p of plugins) {
    if (names.has(p.name)) throw new Error(`gateway plugin "${p.name}" is installed twice`);
    names.add(p.name);
  }
  const authenticators = plugins.flatMap((p) => (p.subscriptions?.authenticate ? [p.subscriptions.authenticate] : []));
  const authorizers = plugins.flatMap((p) => (p.subscriptions?.authorize ? [p.subscriptions.authorize] : []));
  return {
    apollo: plugins.flatMap((p) => (p.apollo ? [p.apollo] : [])),
    requestAuthenticators: plugins.flatMap((p) => (p.authenticateRequest ? [p.authenticateRequest] : [])),
    middleware: plugins.flatMap((p) => (p.middleware ? [p.middleware] : [])),
    registries: plugins.flatMap((p) => (p.registry ? [p.registry] : [])),
    authenticate(fallback = allowAnonymous) {
      if (authenticators.length === 0) return fallback;
      return async (ctx) => {
        for (const authenticate of authenticators) {
          const principal = await authenticate(ctx);
          if (principal !== undefined) return principal;
        }
        return fallback(ctx);
      };
    },
    authorize(base = allowAll) {
      if (authorizers.length === 0) return base;
      const all = [base, ...authorizers];
      return async (principal, operation) => {
        for (const authorize of all) if (!(await authorize(principal, operation))) return false;
        return true;
      };
    },
    async close() {
      for (const p of [...plugins].reverse()) {
        try {
          await p.close?.();
        } catch (err) {
          log.warn({ plugin: p.name, err: err instanceof Error ? err.message : String(err) }, 'gateway plugin failed to close');
        }
      }
    },
  };
}
