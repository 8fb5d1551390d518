// Gateway plugins: one shape (plugin.ts) for metrics, request checks, and later auth, limits, tracing.
export type { GatewayPlugin, PluginAuthenticate, SubscriptionHooks } from './plugin.js';
export { composePlugins, type ComposedPlugins } from './compose.js';
export { metricsPlugin } from './metrics.js';
export { operationChecksPlugin } from './operation-checks.js';
export { argumentChecksPlugin } from './argument-checks.js';
