// The one shape of every gateway extension: metrics today; auth, limits and tracing next. A plugin
// may hook each of the gateway's three entrances — the HTTP request before /graphql (authentication
// into the request's principal, then Express middleware), the query/mutation lifecycle (an Apollo
// Server plugin) and the graphql-ws subscription server (authenticate once per connection, authorize
// per subscription) — and contribute to /metrics and to shutdown. Every part is optional; startGateway combines them in list order (plugins/compose.ts).
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { GatewayContext, RequestAuthenticate } from '../request-context.js';
import type { Authorize, ConnectionInitContext, Principal } from '../subscriptions/auth.js';

/**
 * graphql-ws `authenticate` as a plugin sees it: a principal accepts the connection, null refuses it
 * (4403), undefined leaves the decision to the next plugin (and finally to the default: anonymous).
 */
export type PluginAuthenticate = (ctx: ConnectionInitContext) => Principal | null | undefined | Promise<Principal | null | undefined>;

export interface SubscriptionHooks {
  authenticate?: PluginAuthenticate;
  /** Every plugin's authorize must allow a subscription. */
  authorize?: Authorize;
}

export interface GatewayPlugin {
  /** For logs and error messages (e.g. "metrics", "auth"). */
  readonly name: string;
  /**
   * Who sends an HTTP request (headers → principal; null refuses it with 401 UNAUTHENTICATED, undefined
   * leaves it to the next plugin, and finally to the anonymous principal). Runs first on /graphql.
   */
  readonly authenticateRequest?: RequestAuthenticate;
  /** Query/mutation lifecycle over HTTP: didResolveOperation, willSendResponse, … (context: headers, principal). */
  readonly apollo?: ApolloServerPlugin<GatewayContext>;
  /** Runs on /graphql before the body is parsed and before Apollo Server (cheap refusals: rate limits, CORS). */
  readonly middleware?: RequestHandler;
  /** graphql-ws hooks of the subscription server. */
  readonly subscriptions?: SubscriptionHooks;
  /** Merged into the gateway's /metrics. */
  readonly registry?: Registry;
  /** Called once when the gateway stops, after it stopped serving, in reverse plugin order. */
  close?(): Promise<void> | void;
}
