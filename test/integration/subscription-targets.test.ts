// Subscriptions that name what does not exist: an unknown cluster, or a node the cluster does not
// have, end at once with ONE NOT_FOUND error and nothing else (no silent wait, no second "the subgraph
// ended the subscription" error), at the subgraphs (graphql-ws) and through the gateway. The node is
// checked against the cluster's nodes through the fleet-access layer (one request at most); a real node
// passes the check and gets its events.
import { countRequests, startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { subscribe, wsClient, type Collected } from '../helpers/subscription-harness.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ deadlineMs: 5000 });
});
afterAll(async () => {
  await stack?.stop();
});

const ws = (url: string) => url.replace(/^http/, 'ws');

/** What a client saw of a subscription that ended: its events and its terminal errors. */
async function ending(url: string, query: string): Promise<Collected> {
  const client = wsClient(url, url.includes(new URL(stack.gatewayUrl).host) ? {} : { connectionParams: stack.asGateway });
  try {
    const sub = subscribe(client, query);
    await sub.ended(15_000);
    sub.dispose();
    return sub;
  } finally {
    await client.dispose();
  }
}

function only(sub: Collected): { message: string; extensions?: Record<string, unknown> } {
  expect(sub.events).toEqual([]);
  expect(sub.completed).toBe(false);
  expect(sub.errors).toHaveLength(1);
  const errors = sub.errors[0] as { message: string; extensions?: Record<string, unknown> }[];
  expect(errors).toHaveLength(1);
  return errors[0];
}

describe.each([
  ['timing', 'ptpClockStateChanged', '{ nodeName currentState }'],
  ['timing', 'ptpClockClassChanged', '{ nodeName clockClass }'],
  ['sriov', 'sriovSyncStatusChanged', '{ nodeName syncStatus }'],
])('%s %s', (subgraph, field, selection) => {
  it('at the subgraph: an unknown node of a known cluster is one NOT_FOUND, nothing else, for one request at most', async () => {
    await stack.control('POST', '/counters/reset');
    const sub = await ending(ws(stack.subgraphUrls[subgraph]), `subscription { ${field}(cluster: "du-002", node: "nope") ${selection} }`);
    expect(only(sub)).toEqual({ message: 'unknown node "nope" in cluster "du-002"', extensions: { code: 'NOT_FOUND', cluster: 'du-002' } });
    // The check: the node from the warm cache (0 requests) or one GET.
    expect(countRequests(await stack.counters(), 'get /nodes')['du-002'] ?? 0).toBeLessThanOrEqual(1);
    await waitUntil(`${subgraph} to hold no subscription`, async () => (await subgraphHealth(stack, subgraph)).subscriptions === 0 || undefined);
  });

  it('at the subgraph: an unknown cluster is one NOT_FOUND, nothing else', async () => {
    const sub = await ending(ws(stack.subgraphUrls[subgraph]), `subscription { ${field}(cluster: "nope", node: "x") ${selection} }`);
    expect(only(sub)).toEqual({ message: 'unknown cluster "nope"', extensions: { code: 'NOT_FOUND', cluster: 'nope' } });
  });

  it('through the gateway: the same single NOT_FOUND, naming the subgraph', async () => {
    const node = await ending(ws(stack.gatewayUrl), `subscription { ${field}(cluster: "du-002", node: "nope") ${selection} }`);
    expect(only(node)).toEqual({ message: 'unknown node "nope" in cluster "du-002"', extensions: { code: 'NOT_FOUND', cluster: 'du-002', serviceName: subgraph } });
    const cluster = await ending(ws(stack.gatewayUrl), `subscription { ${field}(cluster: "nope") ${selection} }`);
    expect(only(cluster)).toEqual({ message: 'unknown cluster "nope"', extensions: { code: 'NOT_FOUND', cluster: 'nope', serviceName: subgraph } });
  });
});

describe('a node that exists', () => {
  it('passes the check and gets its events (GM loss on du-005, subscribed to its node)', async () => {
    const client = wsClient(ws(stack.gatewayUrl));
    try {
      const sub = subscribe(client, 'subscription { ptpClockStateChanged(cluster: "du-005", node: "du-005-sno") { nodeName eventType previousState currentState } }');
      await waitUntil('the feed of du-005 to have its baseline', async () => {
        const health = await subgraphHealth<{ feeds: Record<string, { polls: number }> }>(stack, 'timing');
        return (health.feeds['du-005']?.polls ?? 0) >= 1 || undefined;
      });
      await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: 'du-005', timeScale: 10, recoverAfterSeconds: 15 });
      const holdover = async () =>
        sub.events.find((e) => {
          const event = e.data?.ptpClockStateChanged as { eventType: string; currentState: string } | undefined;
          return event?.eventType === 'event.sync.sync-status.synchronization-state-change' && event.currentState === 'HOLDOVER';
        });
      await waitUntil('the node going to HOLDOVER', holdover, 20_000);
      expect(sub.errors).toEqual([]);
      expect(sub.events.every((e) => (e.data?.ptpClockStateChanged as { nodeName: string }).nodeName === 'du-005-sno')).toBe(true);
      sub.dispose();
    } finally {
      await client.dispose();
    }
  }, 30_000);
});
