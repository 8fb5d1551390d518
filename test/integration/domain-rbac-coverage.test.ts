// Each domain's RBAC (its `rbac` in subgraphs/<domain>/domain.ts, the ClusterRole the chart renders)
// covers every request the domain really makes. The stack runs as deployed, one process per domain, so
// each subgraph's /metrics counts only its own Kubernetes API requests (fleetgraph_kube_requests_total
// by verb and kind); the README's examples and a node subscription exercise them; every (verb, kind)
// seen must be granted to that domain. (That nothing beyond is granted: test/e2e/helm-chart.test.ts.)
import { createClient } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import { chartDomains, type ChartDomain } from '../../scripts/chart-domains.js';
import { DOMAINS } from '../../subgraphs/domains.js';
import { readmeExamples } from '../helpers/readme.js';
import { startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let stack: TestStack;
let domains: ChartDomain[];
beforeAll(async () => {
  domains = await chartDomains(DOMAINS);
  stack = await startTestStack({ layout: 'processes', settings: { pollIntervalMs: 100 } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** Is `verb` on `kind` (as kube-metrics labels it) allowed by `rules`? */
function granted(d: ChartDomain, verb: string, kind: string): boolean {
  return d.rbac.some((rule) => {
    if (verb === 'discovery') return rule.nonResourceURLs?.includes(kind) && rule.verbs.includes('get');
    const [group, plural] = kind.includes('/') ? [kind.slice(0, kind.lastIndexOf('/')), kind.slice(kind.lastIndexOf('/') + 1)] : ['', kind];
    // `proxy` is get on <plural>/proxy, `proxy_create` create on it, and so on.
    const proxied = verb === 'proxy' || verb.startsWith('proxy_');
    const resource = proxied ? `${plural}/proxy` : plural;
    const rbacVerb = verb === 'proxy' ? 'get' : proxied ? verb.slice('proxy_'.length) : verb;
    return (rule.apiGroups ?? []).includes(group) && (rule.resources ?? []).includes(resource) && rule.verbs.includes(rbacVerb as never);
  });
}

/** Beyond the README: fields that make the domains' other reads (policies, networks, NADs, pods, CRDs). */
const MORE = [
  '{ clusters { sriov { policies { name } networks { name } nodes { resources { resource requested } allocations { podName } } } } }',
  '{ clusters { name provisioningRequests { __typename } provisionedBy { __typename } } }',
];

it('grants every domain each request it makes', async () => {
  for (const query of [...readmeExamples().map((e) => e.query), ...MORE]) await stack.query(query);
  // A subscription to one node: the timing subgraph checks the node (a GET) and polls its feed.
  const client = createClient({ url: stack.gatewayUrl.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  const sink = { next: () => undefined, error: () => undefined, complete: () => undefined };
  const stops = [
    client.subscribe({ query: 'subscription { ptpClockStateChanged(cluster: "du-001", node: "du-001-sno") { currentState } }' }, sink),
    client.subscribe({ query: 'subscription { sriovSyncStatusChanged(cluster: "du-001", node: "du-001-sno") { __typename } }' }, sink),
    client.subscribe({ query: 'subscription { podNetworkEvent { reason } }' }, sink),
  ];
  await waitUntil('the feed to poll', async () => ((await subgraphHealth<{ feeds: Record<string, { polls: number }> }>(stack, 'timing')).feeds['du-001']?.polls ?? 0) >= 2, 30_000);
  await waitUntil('the sriov subscription', async () => (await subgraphHealth(stack, 'sriov')).subscriptions === 1, 30_000);
  await waitUntil('the cni subscription', async () => (await subgraphHealth(stack, 'cni')).subscriptions === 1, 30_000);
  for (const stop of stops) stop();
  await client.dispose();

  const seen: Record<string, string[]> = {};
  const ungranted: string[] = [];
  for (const d of domains) {
    const text = await (await request(new URL('/metrics', stack.subgraphUrls[d.name]))).body.text();
    const pairs = new Set<string>();
    for (const [, labels] of text.matchAll(/^fleetgraph_kube_requests_total\{([^}]*)\} [1-9]/gm)) {
      const l = Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      pairs.add(`${l.verb} ${l.kind}`);
    }
    seen[d.name] = [...pairs].sort();
    for (const pair of pairs) {
      const [verb, kind] = pair.split(' ');
      if (!granted(d, verb, kind)) ungranted.push(`${d.name}: ${pair}`);
    }
  }
  expect(ungranted).toEqual([]);
  // The examples reached the domains they are about (the check is not vacuous).
  for (const name of ['fleet', 'timing', 'sriov', 'dpdk', 'cni']) expect({ name, asked: (seen[name]?.length ?? 0) > 0 }).toEqual({ name, asked: true });
  expect(seen.sriov).toEqual(expect.arrayContaining(['list pods', 'list nodes', 'get nodes', 'list sriovnetwork.openshift.io/sriovnetworknodepolicies']));
  expect(Object.values(seen).flat().length).toBeGreaterThan(10);
  expect(seen.fleet).toEqual(expect.arrayContaining(['list nodes']));
  expect(seen.cni).toEqual(expect.arrayContaining(['discovery /apis', 'list events', 'watch events', 'watch k8s.cni.cncf.io/network-attachment-definitions', 'watch apps/daemonsets']));
  expect(seen.timing).toEqual(expect.arrayContaining(['proxy pods']));
  // The subscription's node check is a GET, or answered by the timing subgraph's nodes cache once that
  // has listed (which comes first depends on the machine's speed): either way timing read nodes.
  expect(seen.timing.filter((pair) => pair === 'get nodes' || pair === 'list nodes')).not.toEqual([]);
}, 180_000);
