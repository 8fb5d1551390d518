// The metrics plugin: Prometheus metrics of the gateway process (Node runtime, HTTP GraphQL
// operations by type and outcome, their duration). One Registry per gateway, so tests can run several;
// /metrics merges it with the other plugins' and the subscription server's registries.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayPlugin } from './plugin.js';

export function metricsPlugin(): GatewayPlugin {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fleetgraph_gateway_' });
  const operations = new Counter({
    name: 'fleetgraph_gateway_operations_total',
    help: 'GraphQL operations over HTTP by type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'fleetgraph_gateway_operation_seconds',
    help: 'Time to answer a GraphQL operation over HTTP',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    name: 'metrics',
    registry,
    apollo: {
      async requestDidStart() {
        const end = duration.startTimer();
        return {
          async willSendResponse({ operation, errors, response }) {
            const type = operation?.operation ?? 'unknown';
            const failed = Boolean(errors?.length) || (response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length));
            operations.inc({ type, outcome: failed ? 'error' : 'ok' });
            end({ type });
          },
        };
      },
    },
  };
}
