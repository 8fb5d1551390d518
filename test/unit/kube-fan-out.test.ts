// The fleet fan-out behind every fleet-wide root field: which clusters, how many at once, within what
// deadline, and what a GraphQL client sees of the clusters that fail.
import { buildSchema, graphql } from 'graphql';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { fanOut, withErrorEntries, type FanOutFleet } from '../../subgraphs/kube/fan-out.js';
import { matchesFilters } from '../../subgraphs/kube/labels.js';
import type { ClusterFilter } from '../../subgraphs/kube/registry.js';

const CLUSTERS: Record<string, Record<string, string>> = {
  'du-001': { role: 'edge', region: 'eu' },
  'du-002': { role: 'edge', region: 'us' },
  'du-003': { role: 'edge', region: 'eu' },
  hub: { role: 'hub' },
};

const fleet: FanOutFleet = {
  list: (filter: ClusterFilter = {}) =>
    Object.keys(CLUSTERS)
      .sort()
      .filter((name) => matchesFilters(CLUSTERS[name], filter.labels ?? []))
      .map((name) => ({ name })),
  has: (name: string) => name in CLUSTERS,
};

const codes = (errors: readonly { extensions: Record<string, unknown> }[]) => errors.map((e) => [e.extensions.code, e.extensions.cluster]);

describe('fanOut: selection', () => {
  it('every cluster by default, in name order whatever order they answer in', async () => {
    const delays: Record<string, number> = { 'du-001': 30, 'du-002': 0, 'du-003': 10, hub: 5 };
    const { results, errors } = await fanOut(fleet, {}, async (cluster) => {
      await new Promise((r) => setTimeout(r, delays[cluster]));
      return cluster.toUpperCase();
    });
    expect(results).toEqual([
      { cluster: 'du-001', value: 'DU-001' },
      { cluster: 'du-002', value: 'DU-002' },
      { cluster: 'du-003', value: 'DU-003' },
      { cluster: 'hub', value: 'HUB' },
    ]);
    expect(errors).toEqual([]);
  });

  it('`clusters` and labels narrow the selection; each unknown name is one NOT_FOUND, like an unknown cluster', async () => {
    const worked: string[] = [];
    const { results, errors } = await fanOut(
      fleet,
      { clusters: ['du-003', 'nope', 'du-002', 'nope', 'hub', 'gone'], labels: [{ key: 'region', value: 'eu' }] },
      async (cluster) => worked.push(cluster),
    );
    expect(worked).toEqual(['du-003']);
    expect(results.map((r) => r.cluster)).toEqual(['du-003']);
    expect(codes(errors)).toEqual([
      ['NOT_FOUND', 'nope'],
      ['NOT_FOUND', 'gone'],
    ]);
    expect(errors[0].message).toBe('unknown cluster "nope"');
  });

  it('a label filter missing its values is refused once, before any cluster is asked', async () => {
    let asked = 0;
    const run = fanOut(fleet, { labels: [{ key: 'region', op: 'IN', values: [] }] }, async () => asked++);
    await expect(run).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(asked).toBe(0);
  });
});

describe('fanOut: failures', () => {
  it('a failing cluster is one coded error for it; the others answer', async () => {
    const { results, errors } = await fanOut(fleet, {}, async (cluster) => {
      if (cluster === 'du-002') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      if (cluster === 'hub') throw new ClusterError('FORBIDDEN', 'hub', 'cluster hub: nodes is forbidden', { httpStatus: 403 });
      return 1;
    });
    expect(results.map((r) => r.cluster)).toEqual(['du-001', 'du-003']);
    expect(codes(errors)).toEqual([
      ['CLUSTER_UNREACHABLE', 'du-002'],
      ['FORBIDDEN', 'hub'],
    ]);
  });

  it('partial failures a cluster reports keep its value; identical ones count once per cluster', async () => {
    const podDown = () => new ClusterError('UPSTREAM_ERROR', 'du-001', 'cluster du-001: pod linuxptp-daemon-x: 503', { httpStatus: 503 });
    const { results, errors } = await fanOut(fleet, { clusters: ['du-001', 'du-003'] }, async (cluster, { report }) => {
      if (cluster === 'du-001') {
        report(podDown());
        report(podDown());
        report(new ClusterError('CLUSTER_TIMEOUT', 'du-001', 'cluster du-001: no answer in time'));
      }
      return cluster;
    });
    expect(results.map((r) => r.value)).toEqual(['du-001', 'du-003']);
    expect(codes(errors)).toEqual([
      ['UPSTREAM_ERROR', 'du-001'],
      ['CLUSTER_TIMEOUT', 'du-001'],
    ]);
  });

  it('the deadline turns a cluster still working into CLUSTER_TIMEOUT and aborts its signal; the others answer', async () => {
    let hungSignal: AbortSignal | undefined;
    const { results, errors } = await fanOut(
      fleet,
      {},
      (cluster, { signal }) => {
        if (cluster !== 'du-002') return Promise.resolve(cluster);
        hungSignal = signal;
        return new Promise<string>(() => undefined); // never answers
      },
      { deadlineMs: 50 },
    );
    expect(results.map((r) => r.cluster)).toEqual(['du-001', 'du-003', 'hub']);
    expect(codes(errors)).toEqual([['CLUSTER_TIMEOUT', 'du-002']]);
    expect(errors[0].message).toContain('50 ms deadline');
    expect(hungSignal?.aborted).toBe(true);
  });

  it('works on at most `concurrency` clusters at once', async () => {
    let inFlight = 0;
    let most = 0;
    const { results } = await fanOut(
      fleet,
      {},
      async (cluster) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return cluster;
      },
      { concurrency: 2 },
    );
    expect(results).toHaveLength(4);
    expect(most).toBe(2);
  });
});

describe('withErrorEntries, as a GraphQL client sees it', () => {
  it('a [T]! field shows each failing cluster as a null entry at the end and one coded error at its path', async () => {
    const schema = buildSchema('type Item { cluster: String! }  type Query { items: [Item]! }');
    const rootValue = {
      items: async () => {
        const { results, errors } = await fanOut(fleet, { clusters: ['du-001', 'du-002', 'nope'] }, async (cluster) => {
          if (cluster === 'du-002') throw new ClusterError('CLUSTER_UNREACHABLE', cluster, `cluster ${cluster} unreachable`);
          return { cluster };
        });
        return withErrorEntries(results.map((r) => r.value), errors);
      },
    };
    const res = await graphql({ schema, rootValue, source: '{ items { cluster } }' });
    expect(res.data).toEqual({ items: [{ cluster: 'du-001' }, null, null] });
    expect(res.errors?.map((e) => [e.path, e.extensions.code, e.extensions.cluster])).toEqual([
      [['items', 1], 'NOT_FOUND', 'nope'],
      [['items', 2], 'CLUSTER_UNREACHABLE', 'du-002'],
    ]);
  });
});
