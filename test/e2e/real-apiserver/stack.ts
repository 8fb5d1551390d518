// The fleetgraph stack pointed at one kubeconfig (every context a cluster), on random ports, with a
// GraphQL client. The only place the suite starts the stack, so it follows the launcher when that moves.
// The gateway authenticates `x-test-scopes` (test/helpers/test-scopes.ts), so a check can write as a
// principal with a scope (o2ims:write) and be refused without it.
import { request } from 'undici';
import { startStack, type Stack } from '../../../scripts/stack.js';
import { waitUntil } from '../../helpers/wait.js';
import { testScopes } from '../../helpers/test-scopes.js';
import { CLUSTER, type CheckTarget, type GraphQLAnswer } from './domain.js';

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
  // The checks start once the cluster answers through the stack (its nodes read without an error): a
  // real API server that has just registered a dozen CRDs (its OpenAPI rebuilt for each) can be slow for
  // a while on a loaded 2-core CI box, and answers read before then would test timing, not fidelity.
  const ready = async () => {
    const res = await request(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ cluster(name: "${CLUSTER}") { nodes { name } } }` }),
      signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined);
    const body = (await res?.body.json().catch(() => undefined)) as GraphQLAnswer | undefined;
    return (res?.statusCode === 200 && body?.data && !body.errors) || undefined;
  };
  await waitUntil('the cluster answers through the stack', ready, 180_000, 1000).catch(async (err) => {
    await stack.stop();
    throw err;
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
