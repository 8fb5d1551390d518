// Which Prometheus answers for a cluster (own vs fleet-wide with a `cluster` matcher), and pod-proxy scrapes.
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { PrometheusSource } from '../../subgraphs/metrics/prometheus-source.js';
import { scrapePod } from '../../subgraphs/metrics/pod-scraper.js';

function fleet(urls: Record<string, string | undefined>) {
  return { names: () => Object.keys(urls), get: (name: string) => (name in urls ? { prometheusUrl: urls[name] } : undefined) };
}

/** A fetch that records queries and answers an empty vector (or fails). */
function fakeFetch(fail?: Error) {
  const queries: { url: string; query: string }[] = [];
  const impl = (async (url: string | URL | Request, init?: RequestInit) => {
    if (fail) throw fail;
    queries.push({ url: String(url), query: new URLSearchParams(String(init?.body)).get('query') ?? '' });
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up' }, value: [1700000000, '1'] }] } }));
  }) as typeof fetch;
  return { impl, queries };
}

describe('PrometheusSource', () => {
  it('a URL shared by several clusters is fleet-wide: queries get cluster="<name>"; a cluster’s own URL gets none', async () => {
    const f = fakeFetch();
    const source = new PrometheusSource(fleet({ a: 'http://thanos:9090', b: 'http://thanos:9090', c: 'http://prom-c:9090/prefix', d: undefined }), { fetch: f.impl });
    expect(source.has('d')).toBe(false);
    const result = await source.select('a', [{ label: '__name__', op: '=~', value: 'openshift_ptp_.*' }]);
    await source.select('c', [{ label: '__name__', op: '=~', value: 'openshift_ptp_.*' }]);
    expect(f.queries).toEqual([
      { url: 'http://thanos:9090/api/v1/query', query: '{__name__=~"openshift_ptp_.*", cluster="a"}' },
      { url: 'http://prom-c:9090/prefix/api/v1/query', query: '{__name__=~"openshift_ptp_.*"}' },
    ]);
    expect(result.read).toEqual({ source: 'PROMETHEUS', readAt: '2023-11-14T22:13:20.000Z', endpoint: 'http://thanos:9090' });
    expect(source.queries).toBe(2);
  });

  it('fleetWide and clusterLabel options override the guess', async () => {
    const f = fakeFetch();
    const source = new PrometheusSource(fleet({ a: 'http://thanos:9090' }), { fetch: f.impl, fleetWide: true, clusterLabel: 'cluster_id' });
    await source.select('a', []);
    expect(f.queries[0].query).toBe('{cluster_id="a"}');
  });

  it('a failing Prometheus is that cluster’s UPSTREAM_ERROR naming the source', async () => {
    const source = new PrometheusSource(fleet({ a: 'http://prom:9090' }), { fetch: fakeFetch(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).impl });
    const err = await source.select('a', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: 'a', reason: 'PrometheusUnreachable' });
    await expect(new PrometheusSource(fleet({ b: undefined })).select('b', [])).rejects.toBeInstanceOf(ClusterError);
  });
});

describe('scrapePod', () => {
  it('reads a page through the pod proxy path, keeps the wanted samples, and says where and when', async () => {
    const paths: string[] = [];
    const client = {
      name: 'du-001',
      getRaw: async (path: string) => {
        paths.push(path);
        return 'openshift_ptp_clock_state{iface="ens5fx",node="n",process="ptp4l"} 1\ngo_goroutines 12\n';
      },
    };
    const result = await scrapePod(client, { namespace: 'openshift-ptp', name: 'linuxptp-daemon-abc', port: 9091, path: '/metrics' }, { filter: (s) => s.name.startsWith('openshift_ptp_'), now: () => 0 });
    expect(paths).toEqual(['/api/v1/namespaces/openshift-ptp/pods/linuxptp-daemon-abc:9091/proxy/metrics']);
    expect(result.samples.map((s) => s.name)).toEqual(['openshift_ptp_clock_state']);
    expect(result.read).toEqual({ source: 'POD_PROXY', readAt: '1970-01-01T00:00:00.000Z', endpoint: paths[0] });
  });

  it('a page that does not parse is an UPSTREAM_ERROR of the cluster', async () => {
    const client = { name: 'du-001', getRaw: async () => '<html>login</html>' };
    const err = await scrapePod(client, { namespace: 'ns', name: 'p', port: 9091, path: '/metrics' }).catch((e: unknown) => e);
    expect((err as ClusterError).extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: 'du-001', reason: 'MalformedMetrics' });
  });
});
