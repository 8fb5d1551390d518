// Gateway plugins: one shape (plugin.ts) for tracing, metrics, request checks, and later auth and limits.
export type { GatewayPlugin, PluginAuthenticate, SubscriptionHooks } from './plugin.js';
export { composePlugins, type ComposedPlugins } from './compose.js';
export { metricsPlugin } from './metrics.js';
export { operationChecksPlugin } from './operation-checks.js';
export { argumentChecksPlugin } from './argument-checks.js';
export { tracingPlugin } from './tracing.js';
