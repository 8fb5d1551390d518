// ptp.openshift.io objects → schema types, and which profile applies to which node.
import {
  aliasOf,
  assignProfiles,
  mapNodePtpDevice,
  mapOperatorConfig,
  mapPtpConfig,
  profileInterfaces,
  recommendedProfiles,
  type NodeIdentity,
} from '../../subgraphs/timing/sources.js';
import type { NodePtpDeviceObject, PtpConfigObject, PtpOperatorConfigObject } from '../../subgraphs/timing/upstream.js';

function ptpConfig(name: string, spec: PtpConfigObject['spec'], status?: PtpConfigObject['status']): PtpConfigObject {
  return { apiVersion: 'ptp.openshift.io/v1', kind: 'PtpConfig', metadata: { name, namespace: 'openshift-ptp' }, spec, status };
}

const workers: NodeIdentity[] = [
  { name: 'worker-0', labels: { 'node-role.kubernetes.io/worker': '', 'ptp/tbc': 'true' } },
  { name: 'worker-1', labels: { 'node-role.kubernetes.io/worker': '' } },
  { name: 'master-0', labels: { 'node-role.kubernetes.io/master': '' } },
];

describe('interface aliases', () => {
  it('replaces the last digit run (before np<N> and VLAN) with x, as linuxptp-daemon does', () => {
    expect(aliasOf('ens5f0')).toBe('ens5fx');
    expect(aliasOf('ens10f12')).toBe('ens10fx');
    expect(aliasOf('enP2s2f0np0')).toBe('enP2s2fx');
    expect(aliasOf('ens1f0.100')).toBe('ens1fx.100');
    expect(aliasOf('eth0')).toBe('ethx');
    expect(aliasOf('lo')).toBe('lo');
  });
});

describe('PtpConfig recommend evaluation (no status.matchList)', () => {
  const ordinary = ptpConfig('ordinary', {
    profile: [{ name: 'oc', interface: 'ens5f0', ptpClockThreshold: { holdOverTimeout: 10 } }],
    recommend: [{ profile: 'oc', priority: 4, match: [{ nodeLabel: 'node-role.kubernetes.io/worker' }] }],
  });
  const boundary = ptpConfig('boundary', {
    profile: [{ name: 'tbc', ptp4lConf: '[ens5f0]\nmasterOnly 0\n[ens5f1]\nmasterOnly 1\n[global]\n' }],
    recommend: [{ profile: 'tbc', priority: 1, match: [{ nodeLabel: 'ptp/tbc' }, { nodeName: 'master-0' }] }],
  });

  it('the strongest (lowest) matching priority wins; labels match by key, names exactly', () => {
    expect(recommendedProfiles([ordinary, boundary], workers[0])).toEqual(['tbc']);
    expect(recommendedProfiles([ordinary, boundary], workers[1])).toEqual(['oc']);
    expect(recommendedProfiles([ordinary, boundary], workers[2])).toEqual(['tbc']);
    expect(recommendedProfiles([ordinary, boundary], { name: 'other', labels: {} })).toEqual([]);
  });

  it('rules of equal priority all apply; rules without match or profile are ignored', () => {
    const extra = ptpConfig('extra', {
      profile: [{ name: 'synce' }, { name: 'never' }],
      recommend: [
        { profile: 'synce', priority: 1, match: [{ nodeName: 'worker-0' }] },
        { profile: 'never', priority: 0, match: [] },
        { priority: 0, match: [{ nodeName: 'worker-0' }] },
      ],
    });
    expect(recommendedProfiles([ordinary, boundary, extra], workers[0])).toEqual(['tbc', 'synce']);
  });

  it('assigns nodes from the rules against node labels and says so', () => {
    const assignment = assignProfiles([ordinary, boundary], workers);
    expect(assignment.matches).toEqual([
      { nodeName: 'master-0', profile: 'tbc', config: 'boundary' },
      { nodeName: 'worker-0', profile: 'tbc', config: 'boundary' },
      { nodeName: 'worker-1', profile: 'oc', config: 'ordinary' },
    ]);
    const mapped = mapPtpConfig('hub', ordinary, assignment);
    expect(mapped.matchSource).toBe('EVALUATED');
    expect(mapped.matches).toEqual([{ nodeName: 'worker-1', profile: 'oc' }]);
    expect(mapped.profiles[0].nodes).toEqual(['worker-1']);
    expect(mapped.profiles[0].thresholds).toEqual({ profile: 'oc', holdOverTimeoutSeconds: 10, maxOffsetNs: 100, minOffsetNs: -100, source: 'PTP_CONFIG' });
  });

  it('uses status.matchList when the operator wrote it, even if the rules would say otherwise', () => {
    const withStatus = ptpConfig('ordinary', ordinary.spec, { matchList: [{ nodeName: 'worker-0', profile: 'oc' }] });
    const assignment = assignProfiles([withStatus, boundary], null);
    expect(assignment.sources.get('ordinary')).toBe('STATUS');
    expect(assignment.matches).toEqual([{ nodeName: 'worker-0', profile: 'oc', config: 'ordinary' }]);
    // Without node labels, configs that need evaluation get no matches rather than a guess.
    expect(assignment.sources.get('boundary')).toBe('EVALUATED');
  });

  it('reads interfaces from `interface` and the ptp4lConf sections', () => {
    expect(profileInterfaces(boundary.spec!.profile![0])).toEqual(['ens5f0', 'ens5f1']);
    expect(profileInterfaces(ordinary.spec!.profile![0])).toEqual(['ens5f0']);
  });
});

describe('PtpOperatorConfig and NodePtpDevice', () => {
  it('maps the event publisher settings', () => {
    const config: PtpOperatorConfigObject = {
      apiVersion: 'ptp.openshift.io/v1',
      kind: 'PtpOperatorConfig',
      metadata: { name: 'default', namespace: 'openshift-ptp' },
      spec: { daemonNodeSelector: {}, ptpEventConfig: { enableEventPublisher: true, apiVersion: '2.0', transportHost: 'http://x:9043' } },
    };
    expect(mapOperatorConfig(config)).toEqual({
      namespace: 'openshift-ptp',
      name: 'default',
      daemonNodeSelector: [],
      eventPublisherEnabled: true,
      eventApiVersion: '2.0',
      transportHost: 'http://x:9043',
      storageType: null,
      plugins: [],
    });
  });

  it('maps devices of old (name/profile only) and new (hardwareInfo) operators', () => {
    const device: NodePtpDeviceObject = {
      apiVersion: 'ptp.openshift.io/v1',
      kind: 'NodePtpDevice',
      metadata: { name: 'du-001', namespace: 'openshift-ptp' },
      status: {
        devices: [{ name: 'ens5f0', profile: '' }, { name: 'ens5f1', profile: '', hardwareInfo: { pciAddress: '0000:8a:00.1', firmwareVersion: '4.40' } }],
        hwconfig: [{ deviceID: '1593', vendorID: '8086', failed: false, status: 'ok' }],
      },
    };
    const mapped = mapNodePtpDevice(device);
    expect(mapped.devices[0]).toEqual({ name: 'ens5f0', alias: 'ens5fx', profile: null, hardware: null });
    expect(mapped.devices[1].hardware).toMatchObject({ pciAddress: '0000:8a:00.1', firmwareVersion: '4.40', linkStatus: null });
    expect(mapped.hwconfig).toEqual([{ deviceID: '1593', vendorID: '8086', failed: false, status: 'ok' }]);
  });
});
