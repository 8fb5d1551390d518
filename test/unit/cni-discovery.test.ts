// The cni reader's discovery: concurrent requests of a cold cluster share one `/apis`, the answer is kept
// (the same array while fresh: the summary memo compares it by identity), and a failure is not kept.
import { CniReader, type CniClusters } from '../../subgraphs/cni/reader.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import type { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';

function clustersAnswering(answers: (() => Promise<string[]>)[]): { clusters: CniClusters; asked: () => number } {
  let asked = 0;
  const client = { apiGroups: () => answers[Math.min(asked++, answers.length - 1)]() };
  return { clusters: { client: () => client } as unknown as CniClusters, asked: () => asked };
}

describe('CniReader discovery', () => {
  it('asks a cold cluster once for concurrent requests and keeps the answer', async () => {
    let release!: (groups: string[]) => void;
    const { clusters, asked } = clustersAnswering([() => new Promise((r) => (release = r))]);
    const reader = new CniReader(clusters, {} as WatchCacheRegistry);
    expect(reader.discovered('du-1')).toBeUndefined();
    const both = Promise.all([reader.servedGroups('du-1'), reader.servedGroups('du-1')]);
    release(['k8s.cni.cncf.io', 'apps']);
    const [a, b] = await both;
    expect(a).toEqual(['k8s.cni.cncf.io', 'apps']);
    expect(b).toBe(a);
    expect(asked()).toBe(1);
    expect(reader.discovered('du-1')).toBe(reader.discovered('du-1'));
    expect(reader.discovered('du-1')?.groups).toBe(a);
    await reader.servedGroups('du-1');
    expect(asked()).toBe(1);
  });

  it('does not keep a failure: the next request asks again', async () => {
    const { clusters, asked } = clustersAnswering([() => Promise.reject(new ClusterError('CLUSTER_UNREACHABLE', 'du-1', 'down')), async () => ['apps']]);
    const reader = new CniReader(clusters, {} as WatchCacheRegistry);
    await expect(reader.servedGroups('du-1')).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    expect(reader.discovered('du-1')).toBeUndefined();
    await expect(reader.servedGroups('du-1')).resolves.toEqual(['apps']);
    expect(asked()).toBe(2);
  });
});
