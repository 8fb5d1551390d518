// Network readiness per pod (scheduled → last Multus AddedInterface, or → sandbox ready without Multus),
// the fleet summary per primary plugin, and the correlation of what the simulator writes during
// cni-sandbox-failure (its texts and the parser must agree).
import { networkReadiness } from '../../subgraphs/cni/readiness.js';
import { mapNads, podNetworkEvents, selectEvents, summarizeByPlugin, percentile } from '../../subgraphs/cni/sources.js';
import type { PodNetworkEventModel } from '../../subgraphs/cni/models.js';
import type { EventObject, NetworkAttachmentDefinitionObject, TimedPod } from '../../subgraphs/cni/upstream.js';
import { startScenario } from '../../simulator/scenarios/index.js';
import { K } from '../../simulator/fleet/kind-keys.js';
import { legacyEvent, UID } from './cni-fixtures.js';
import { testRuntime } from './scenarios-runtime.js';

function pod(conditions: Record<string, string | false>, uid = UID): TimedPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'vdu-0', namespace: 'du-vdu', uid, creationTimestamp: '2025-06-02T08:59:59Z' },
    spec: { nodeName: 'du-001-sno' },
    status: {
      phase: 'Running',
      startTime: '2025-06-02T09:00:01Z',
      conditions: Object.entries(conditions).map(([type, at]) => (at === false ? { type, status: 'False', lastTransitionTime: '2025-06-02T09:00:00Z' } : { type, status: 'True', lastTransitionTime: at })),
    },
  };
}

const added = (message: string, first: string, last = first, uid = UID): EventObject =>
  legacyEvent({ namespace: 'du-vdu', pod: 'vdu-0', uid, reason: 'AddedInterface', message, component: 'multus', type: 'Normal', first, last });

describe('networkReadiness', () => {
  const running = pod({ PodScheduled: '2025-06-02T09:00:00Z', PodReadyToStartContainers: '2025-06-02T09:00:44Z', Ready: '2025-06-02T09:00:52Z' });

  it('measures scheduled → the last expected interface, and → Ready', () => {
    const events = [
      added('Add eth0 [10.128.0.11/23] from ovn-kubernetes', '2025-06-02T09:00:02Z'),
      added('Add net1 [] from du-vdu/du-fh-net', '2025-06-02T09:00:43Z'),
      legacyEvent({ namespace: 'du-vdu', pod: 'vdu-0', reason: 'FailedCreatePodSandBox', message: 'x', component: 'kubelet', first: '2025-06-02T09:00:50Z' }),
    ];
    expect(networkReadiness(running, events, 2)).toEqual({
      scheduledAt: '2025-06-02T09:00:00.000Z',
      networksReadyAt: '2025-06-02T09:00:43.000Z',
      readyAt: '2025-06-02T09:00:52.000Z',
      secondsToNetworks: 43,
      secondsToReady: 52,
      measuredBy: 'ADDED_INTERFACE',
      interfacesAdded: 2,
      interfacesExpected: 2,
      pending: false,
    });
  });

  it('uses the latest occurrence of a re-reported interface and ignores other pods and older incarnations', () => {
    const events = [
      added('Add eth0 [10.128.0.11/23] from ovn-kubernetes', '2025-06-02T09:00:02Z', '2025-06-02T09:00:30Z'),
      added('Add net1 [] from du-vdu/du-fh-net', '2025-06-02T09:00:31Z'),
      added('Add net2 [] from du-vdu/du-fh-net', '2025-06-02T09:00:59Z', '2025-06-02T09:00:59Z', 'another-uid'),
      added('Add net2 [] from du-vdu/du-fh-net', '2025-06-01T09:00:00Z'),
    ];
    const r = networkReadiness(running, events, 3);
    expect(r).toMatchObject({ interfacesAdded: 2, pending: true, networksReadyAt: null, measuredBy: 'NONE', secondsToReady: 52 });
    expect(networkReadiness(running, events, 2)).toMatchObject({ secondsToNetworks: 31 });
    expect(networkReadiness(running, events, null)).toMatchObject({ secondsToNetworks: 31, interfacesExpected: null });
  });

  it('falls back to the sandbox being ready on clusters without Multus, and to startTime without PodScheduled', () => {
    expect(networkReadiness(running, [], null)).toMatchObject({ measuredBy: 'SANDBOX_READY', secondsToNetworks: 44, pending: false });
    const unscheduledConditions = pod({ PodReadyToStartContainers: '2025-06-02T09:00:11Z' });
    expect(networkReadiness(unscheduledConditions, [], 1)).toMatchObject({ scheduledAt: '2025-06-02T09:00:01.000Z', secondsToNetworks: 10 });
    const waiting = pod({ PodScheduled: '2025-06-02T09:00:00Z', PodReadyToStartContainers: false, Ready: false });
    expect(networkReadiness(waiting, [], 4)).toMatchObject({ pending: true, measuredBy: 'NONE', readyAt: null, secondsToReady: null });
  });
});

describe('summarizeByPlugin', () => {
  const now = Date.parse('2025-06-02T10:00:00Z');
  const ev = (category: PodNetworkEventModel['category'], last: string, count = 1): PodNetworkEventModel =>
    ({ category, lastTime: new Date(Date.parse(last)).toISOString(), count }) as PodNetworkEventModel;

  it('groups clusters by plugin and counts failures of the last hour, by category, with readiness spread', () => {
    const summary = summarizeByPlugin(
      [
        { clusterName: 'du-001', plugin: 'OVN_KUBERNETES', podsWithMissingNetworks: 1, events: [ev('IPAM_EXHAUSTED', '2025-06-02T09:30:00Z', 3), ev('INTERFACE_ADDED', '2025-06-02T09:59:00Z', 4)], readinessSeconds: [4, 43] },
        { clusterName: 'du-002', plugin: 'OVN_KUBERNETES', podsWithMissingNetworks: 0, events: [ev('NAD_MISSING', '2025-06-02T09:50:00Z', 2), ev('IPAM_EXHAUSTED', '2025-06-02T08:30:00Z', 9)], readinessSeconds: [3] },
        { clusterName: 'regional-west', plugin: 'CALICO', podsWithMissingNetworks: 0, events: [], readinessSeconds: [] },
      ],
      now,
    );
    expect(summary).toEqual([
      {
        plugin: 'OVN_KUBERNETES',
        clusterNames: ['du-001', 'du-002'],
        podsWithMissingNetworks: 1,
        failureEvents: 2,
        failureOccurrences: 5,
        failuresByCategory: [
          { category: 'IPAM_EXHAUSTED', events: 1, occurrences: 3 },
          { category: 'NAD_MISSING', events: 1, occurrences: 2 },
        ],
        readinessP50: 4,
        readinessP95: 43,
        readinessMax: 43,
      },
      { plugin: 'CALICO', clusterNames: ['regional-west'], podsWithMissingNetworks: 0, failureEvents: 0, failureOccurrences: 0, failuresByCategory: [], readinessP50: null, readinessP95: null, readinessMax: null },
    ]);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});

describe('what the simulator writes during cni-sandbox-failure, correlated', () => {
  it('reads IPAM_EXHAUSTED, then NAD_MISSING on du-mh-net with the node, then the interfaces added', async () => {
    const rt = testRuntime();
    const c = rt.cluster('du-004');
    const handle = startScenario(rt, 'cni-sandbox-failure', { cluster: 'du-004', ipamSeconds: 30, nadMissingSeconds: 30 });
    const uid = c.store.get(K.pods, 'du-vdu', 'vdu-0')!.metadata.uid!;
    const correlated = () => {
      const nads = mapNads('du-004', c.store.list(K.netAttachDefs) as NetworkAttachmentDefinitionObject[]);
      const podNodes = new Map(c.store.list(K.pods).map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, (p.spec as { nodeName: string }).nodeName]));
      return podNetworkEvents('du-004', c.store.list(K.events) as EventObject[], { nads, podNodes }).filter((e) => e.podUid === uid);
    };
    rt.advance(25_000);
    const ipam = selectEvents(correlated(), { categories: ['IPAM_EXHAUSTED'] });
    expect(ipam).toHaveLength(3);
    for (const e of ipam) {
      expect(e).toMatchObject({ reason: 'FailedCreatePodSandBox', network: { nadNamespace: 'du-vdu', nadName: 'du-mh-net' }, plugin: 'sriov', ipamPlugin: 'host-local', nodeName: 'du-004-sno', count: 1 });
    }
    rt.advance(30_000);
    const missing = selectEvents(correlated(), { categories: ['NAD_MISSING'] });
    expect(missing.map((e) => [e.reason, e.count])).toEqual(
      expect.arrayContaining([
        ['NoNetworkFound', 3],
        ['FailedCreatePodSandBox', 1],
      ]),
    );
    expect(missing.every((e) => e.network?.nadName === 'du-mh-net' && e.nodeName === 'du-004-sno')).toBe(true);
    rt.advance(10_000);
    await handle.done;
    const up = c.store.get(K.pods, 'du-vdu', 'vdu-0')! as TimedPod;
    const readiness = networkReadiness(up, c.store.list(K.events, 'du-vdu') as EventObject[], 4);
    expect(readiness).toMatchObject({ measuredBy: 'ADDED_INTERFACE', interfacesAdded: 4, pending: false });
    expect(readiness.secondsToNetworks).toBeGreaterThanOrEqual(60);
  });
});
