// The fleetgraph stack pointed at one kubeconfig (every context a cluster), on random ports, with a
// GraphQL client. The only place the suite starts the stack, so it follows the launcher when that moves.
import { request } from 'undici';
import { startStack, type Stack } from '../../../scripts/stack.js';
import type { GraphQLAnswer } from './domain.js';

export interface FleetStack {
  readonly stack: Stack;
  query(query: string): Promise<GraphQLAnswer>;
  stop(): Promise<void>;
}

export async function startFleetStack(kubeconfigPath: string): Promise<FleetStack> {
  // single layout: two stacks (real server, simulator) side by side stay light on a 2-core CI box
  const stack = await startStack({ layout: 'single', basePort: 0, fleet: { kubeconfigPaths: [kubeconfigPath], deadlineMs: 5000 }, output: () => undefined });
  return {
    stack,
    async query(query) {
      const res = await request(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return { ...((await res.body.json()) as object), status: res.statusCode };
    },
    stop: () => stack.stop(),
  };
}
