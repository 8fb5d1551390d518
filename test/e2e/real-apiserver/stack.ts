// The fleetgraph stack pointed at one kubeconfig (every context a cluster), on random ports, with a
// GraphQL client. The only place the suite starts the stack, so it follows the launcher when that moves.
// The gateway authenticates `x-test-scopes` (test/helpers/test-scopes.ts), so a check can write as a
// principal with a scope (o2ims:write) and be refused without it.
import { request } from 'undici';
import { startStack, type Stack } from '../../../scripts/stack.js';
import { testScopes } from '../../helpers/test-scopes.js';
import type { CheckTarget, GraphQLAnswer } from './domain.js';

export interface FleetStack {
  readonly stack: Stack;
  query: CheckTarget['query'];
  stop(): Promise<void>;
}

export async function startFleetStack(kubeconfigPath: string): Promise<FleetStack> {
  // single layout: two stacks (real server, simulator) side by side stay light on a 2-core CI box
  const stack = await startStack({
    layout: 'single',
    basePort: 0,
    fleet: { kubeconfigPaths: [kubeconfigPath], deadlineMs: 5000 },
    gatewayPlugins: [testScopes],
    output: () => undefined,
  });
  return {
    stack,
    async query(query, options = {}) {
      const res = await request(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ query, variables: options.variables }),
      });
      return { ...((await res.body.json()) as GraphQLAnswer), status: res.statusCode };
    },
    stop: () => stack.stop(),
  };
}
