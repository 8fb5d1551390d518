// perCluster: the per-request loader keyed by cluster that every domain's loaders build on.
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { perCluster } from '../../subgraphs/kube/per-cluster.js';

describe('perCluster', () => {
  it('loads each distinct cluster once per request, whatever the number of fields asking', async () => {
    const calls: string[] = [];
    const loader = perCluster(async (cluster) => {
      calls.push(cluster);
      return `${cluster}-value`;
    });
    const values = await Promise.all(['a', 'b', 'a', 'a', 'b'].map((c) => loader.load(c)));
    expect(values).toEqual(['a-value', 'b-value', 'a-value', 'a-value', 'b-value']);
    expect(calls.sort()).toEqual(['a', 'b']);
    await loader.load('a');
    expect(calls).toHaveLength(2);
  });

  it('a failing cluster rejects only its own keys, with a coded ClusterError naming it', async () => {
    const loader = perCluster(async (cluster) => {
      if (cluster === 'down') throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' });
      if (cluster === 'denied') throw new ClusterError('FORBIDDEN', 'denied', 'cluster denied: pods is forbidden', { httpStatus: 403 });
      return cluster.length;
    });
    const [ok, down, denied] = await loader.loadMany(['ok', 'down', 'denied']);
    expect(ok).toBe(2);
    expect(down).toBeInstanceOf(ClusterError);
    expect((down as ClusterError).extensions).toEqual({ code: 'CLUSTER_UNREACHABLE', cluster: 'down' });
    expect((denied as ClusterError).extensions).toEqual({ code: 'FORBIDDEN', cluster: 'denied', httpStatus: 403 });
    await expect(loader.load('down')).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE', cluster: 'down' });
  });
});
