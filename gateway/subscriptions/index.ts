// Federated subscriptions over graphql-ws: the gateway's own subscription executor (README.md).
export { attachSubscriptionServer } from './subscription-server.js';
export type { AttachSubscriptionsOptions, SubscriptionOptions, SubscriptionServer } from './subscription-server.js';
export { allowAll, allowAnonymous, bearerToken } from './auth.js';
export type { Authenticate, Authorize, AuthorizeRequest, ConnectionInitContext, Principal } from './auth.js';
export { DEFAULT_LIMITS, DEFAULT_UPSTREAM } from './options.js';
export type { SubscriptionLimits, UpstreamOptions } from './options.js';
export { SubscriptionErrorCode, WsCloseCode } from './errors.js';
export type { SubscriptionStats } from './metrics.js';
