// Node.ptp when a node's PTP metrics cannot be read (issue 18, found on a real kube-apiserver: no pod
// network, the daemon's pod proxy answers an error): the configuration still answers (profiles,
// thresholds, device), and only the metric fields are null, each with the coded error. Upstream-shaped
// PTP objects as the operator and linuxptp-daemon write them; the timing schema and resolvers executed
// over a fake cluster (no HTTP).
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type ExecutionResult } from 'graphql';
import { ANONYMOUS_PRINCIPAL } from '../../lib/principal.js';
import type { GraphQLResolverMap } from '../../subgraphs/common/resolver-map.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import type { ResourceRef } from '../../subgraphs/kube/resources.js';
import type { WatchCacheRegistry } from '../../subgraphs/kube/watch-cache-registry.js';
import type { PrometheusSource } from '../../subgraphs/metrics/prometheus-source.js';
import type { TimingContext } from '../../subgraphs/timing/context.js';
import { createTimingLoaders } from '../../subgraphs/timing/loaders.js';
import { PtpReader, type ClusterClients } from '../../subgraphs/timing/reader.js';
import { resolvers } from '../../subgraphs/timing/resolvers.js';

const NS = 'openshift-ptp';
const NODE = 'du-001-sno';

const OBJECTS: Record<string, KubeObject[]> = {
  ptpoperatorconfigs: [{ metadata: { name: 'default', namespace: NS }, spec: { daemonNodeSelector: {}, ptpEventConfig: { enableEventPublisher: false } } }],
  ptpconfigs: [
    {
      metadata: { name: 'du-slave', namespace: NS },
      spec: {
        profile: [{ name: 'slave', interface: 'ens5f0', ptp4lOpts: '-2 -s', ptpClockThreshold: { holdOverTimeout: 10, maxOffsetThreshold: 50, minOffsetThreshold: -50 } }],
        recommend: [{ profile: 'slave', priority: 4, match: [{ nodeLabel: 'node-role.kubernetes.io/master' }] }],
      },
      status: { matchList: [{ nodeName: NODE, profile: 'slave' }] },
    },
  ],
  nodeptpdevices: [{ metadata: { name: NODE, namespace: NS }, spec: {}, status: { devices: [{ name: 'ens5f0', profile: '' }] } }],
  pods: [
    {
      metadata: { name: 'linuxptp-daemon-7xk2p', namespace: NS, labels: { app: 'linuxptp-daemon' } },
      spec: { nodeName: NODE, containers: [{ name: 'linuxptp-daemon-container', image: 'x' }] },
      status: { phase: 'Running', podIP: '10.128.0.20' },
    },
  ],
};

function setup(scrape: () => Promise<string>) {
  const client = {
    name: 'k8s-run',
    getRaw: scrape,
    health: { reachable: true, latencyMs: 1, lastContact: new Date(), error: null, errorCode: null },
  };
  const clients = { client: () => client } as unknown as ClusterClients;
  const caches = { readThrough: async (_c: string, ref: ResourceRef) => OBJECTS[ref.plural] ?? [] } as unknown as WatchCacheRegistry;
  const prometheus = { has: () => false } as unknown as PrometheusSource;
  const reader = new PtpReader({ clients, caches, prometheus });
  const context = { principal: ANONYMOUS_PRINCIPAL, loaders: createTimingLoaders(reader) } as unknown as TimingContext;
  const schema = buildSubgraphSchema([{ typeDefs: parse(readFileSync('schema/timing.graphql', 'utf8')), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  return (query: string) => execute({ schema, document: parse(query), contextValue: context }) as Promise<ExecutionResult<Record<string, any>>>;
}

const NODE_PTP = `{ _entities(representations: [{ __typename: "Node", clusterName: "k8s-run", name: "${NODE}" }]) { ... on Node { ptp {
  profiles thresholds { profile holdOverTimeoutSeconds maxOffsetNs minOffsetNs source } device { devices { name alias } } encoding grandmasterCapable
  syncState offsetNs clocks { process } read { source }
} } } }`;

describe('Node.ptp when the metrics cannot be read', () => {
  it('answers the configuration and puts the error on each metric field only', async () => {
    // what the real API server's pod proxy answers when it cannot reach the pod (the client recodes it)
    const refused = new ClusterError('UPSTREAM_ERROR', 'k8s-run', 'cluster k8s-run: address not allowed', { httpStatus: 400, clusterFault: false });
    const res = await setup(() => Promise.reject(refused))(NODE_PTP);
    const ptp = res.data!._entities[0].ptp;
    expect(ptp).toEqual({
      profiles: ['slave'],
      thresholds: { profile: 'slave', holdOverTimeoutSeconds: 10, maxOffsetNs: 50, minOffsetNs: -50, source: 'PTP_CONFIG' },
      device: { devices: [{ name: 'ens5f0', alias: 'ens5fx' }] },
      encoding: 'DAEMON',
      grandmasterCapable: false,
      syncState: null,
      offsetNs: null,
      clocks: null,
      read: null,
    });
    const paths = res.errors!.map((e) => e.path!.join('.')).sort();
    expect(paths).toEqual(['_entities.0.ptp.clocks', '_entities.0.ptp.offsetNs', '_entities.0.ptp.read', '_entities.0.ptp.syncState']);
    for (const e of res.errors!) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: 'k8s-run' });
  });

  it('answers metrics as before when they can be read', async () => {
    const page = [
      `openshift_ptp_clock_state{iface="ens5fx",node="${NODE}",process="ptp4l"} 1`,
      `openshift_ptp_offset_ns{from="master",iface="ens5fx",node="${NODE}",process="ptp4l"} -3`,
    ].join('\n');
    const res = await setup(async () => page + '\n')(NODE_PTP);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0].ptp).toMatchObject({ syncState: 'LOCKED', offsetNs: -3, clocks: [{ process: 'ptp4l' }], read: { source: 'POD_PROXY' } });
  });
});
