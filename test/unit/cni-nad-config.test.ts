// NAD spec.config parsing on upstream-shaped NADs: single configs and conflists, the plugin chain,
// IPAM types with their ranges (host-local legacy and `ranges`, whereabouts `range`/dash form/`ipRanges`,
// static), configs taken from the node, and invalid configs reported for that NAD alone.
import { mapNad, parseNadConfig, rangeSize } from '../../subgraphs/cni/nad-config.js';
import { mapNads } from '../../subgraphs/cni/sources.js';
import { NADS } from './cni-fixtures.js';

const config = (n: (typeof NADS)[keyof typeof NADS]) => {
  const m = mapNad('c1', n);
  if (!m.config.ok) throw new Error(m.config.error);
  return m.config.config;
};

describe('single CNI configs', () => {
  it('reads an SR-IOV NAD: type, CNI name, resourceName annotation, host-local range with its size', () => {
    const m = mapNad('du-001', NADS.sriovHostLocal);
    expect(m).toMatchObject({ clusterName: 'du-001', namespace: 'du-vdu', name: 'du-mh-net', resourceName: 'openshift.io/du_mh', createdAt: '2025-05-01T10:00:00Z' });
    expect(config(NADS.sriovHostLocal)).toMatchObject({ kind: 'SINGLE', cniVersion: '1.0.0', networkName: 'du-mh-net', type: 'sriov' });
    expect(config(NADS.sriovHostLocal).plugins[0]).toMatchObject({ type: 'sriov', vlan: 20 });
    expect(config(NADS.sriovHostLocal).ipam).toEqual({
      type: 'host-local',
      ranges: [{ subnet: '192.168.20.0/24', rangeStart: '192.168.20.10', rangeEnd: '192.168.20.100', gateway: '192.168.20.1', exclude: [], size: 91 }],
      addresses: [],
      routes: [],
    });
  });

  it('keeps an empty ipam ({}, DPDK VFs) as an ipam without type or ranges', () => {
    expect(config(NADS.sriovNoIpam).ipam).toEqual({ type: null, ranges: [], addresses: [], routes: [] });
  });

  it('parses the multus quickstart macvlan (pretty-printed, no name) with routes', () => {
    const c = config(NADS.macvlanQuickstart);
    expect(c).toMatchObject({ kind: 'SINGLE', networkName: null, type: 'macvlan' });
    expect(c.plugins[0]).toMatchObject({ master: 'eth0', mode: 'bridge' });
    expect(c.ipam!.ranges[0].size).toBe(17);
    expect(c.ipam!.routes).toEqual([{ dst: '0.0.0.0/0', gw: null }]);
  });

  it('reads whereabouts ranges: start/end with excludes, the dash form, and ipRanges (IPv6 size unknown)', () => {
    expect(config(NADS.whereabouts).ipam!.ranges).toEqual([
      { subnet: '10.50.1.0/24', rangeStart: '10.50.1.10', rangeEnd: '10.50.1.50', gateway: '10.50.1.1', exclude: ['10.50.1.32/28'], size: 41 },
    ]);
    expect(config(NADS.whereaboutsDash).ipam!.ranges).toEqual([
      { subnet: '192.168.2.0/24', rangeStart: '192.168.2.225', rangeEnd: '192.168.2.230', gateway: null, exclude: [], size: 6 },
    ]);
    expect(config(NADS.whereaboutsIpRanges).ipam!.ranges.map((r) => [r.subnet, r.size])).toEqual([
      ['10.80.0.0/28', 14],
      ['fd00:80::/64', null],
    ]);
  });

  it('reads host-local `ranges` (range sets) and static addresses', () => {
    expect(config(NADS.bridgeRanges).plugins[0]).toMatchObject({ type: 'bridge', bridge: 'br-oam', vlan: 100 });
    expect(config(NADS.bridgeRanges).ipam!.ranges.map((r) => [r.subnet, r.rangeStart, r.rangeEnd, r.size])).toEqual([
      ['10.70.0.0/24', '10.70.0.10', '10.70.0.40', 31],
      ['fd00:70::/64', null, null, null],
    ]);
    const hostDev = config(NADS.hostDevice);
    expect(hostDev.plugins[0]).toMatchObject({ type: 'host-device', device: 'ens3f1' });
    expect(hostDev.ipam).toMatchObject({ type: 'static', ranges: [], addresses: [{ address: '10.50.2.10/24', gateway: '10.50.2.1' }], routes: [{ dst: '10.51.0.0/16', gw: '10.50.2.1' }] });
    expect(config(NADS.hostDevicePci).plugins[0].device).toBe('0000:af:00.0');
    expect(config(NADS.dhcp).ipam).toEqual({ type: 'dhcp', ranges: [], addresses: [], routes: [] });
  });
});

describe('conflists and configs from the node', () => {
  it('reads the plugin chain; type and ipam come from the first plugin, the CNI name from the list', () => {
    const c = config(NADS.conflist);
    expect(c).toMatchObject({ kind: 'CONFLIST', cniVersion: '0.4.0', networkName: 'n4', type: 'macvlan' });
    expect(c.plugins.map((p) => p.type)).toEqual(['macvlan', 'tuning']);
    expect(c.plugins[0]).toMatchObject({ master: 'ens3f3', capabilities: ['ips'], ipam: { type: 'static' } });
    expect(c.plugins[1]).toMatchObject({ mtu: 9000, ipam: null });
    expect(c.ipam!.type).toBe('static');
  });

  it('treats an empty or absent spec.config as the file on the node', () => {
    expect(config(NADS.fromFile)).toEqual({ kind: 'NODE_FILE', cniVersion: null, networkName: null, type: null, plugins: [], ipam: null });
    expect(parseNadConfig('   ', 'default/x')).toMatchObject({ ok: true, config: { kind: 'NODE_FILE' } });
  });
});

describe('invalid configs fail only their NAD, naming it', () => {
  it('reports JSON that does not parse, non-objects, and configs without type or plugins', () => {
    const errors = [NADS.invalid, NADS.noType, NADS.badPlugin, NADS.array].map((n) => mapNad('regional-east-2', n).config);
    expect(errors.map((e) => (e.ok ? 'ok' : e.error))).toEqual([
      expect.stringMatching(/^NetworkAttachmentDefinition cu-vcu\/f1u-macvlan: spec\.config is not valid JSON \(.+\)$/),
      'NetworkAttachmentDefinition default/forgot-plugins: spec.config has neither "type" nor "plugins"',
      'NetworkAttachmentDefinition default/bad-chain: spec.config plugins[1] has no "type"',
      'NetworkAttachmentDefinition default/array: spec.config is not a JSON object',
    ]);
    const invalid = mapNad('regional-east-2', NADS.invalid);
    expect(invalid.configText).toBe(NADS.invalid.spec!.config);
    expect(invalid.name).toBe('f1u-macvlan');
  });

  it('maps the other NADs of the cluster around an invalid one, sorted by namespace and name', () => {
    const all = mapNads('c1', [NADS.invalid, NADS.conflist, NADS.whereabouts, NADS.hostDevice]);
    expect(all.map((n) => `${n.namespace}/${n.name}:${n.config.ok}`)).toEqual(['5g-core/n4-conflist:true', 'cu-vcu/f1c-macvlan:true', 'cu-vcu/f1u-hostdev:true', 'cu-vcu/f1u-macvlan:false']);
  });
});

describe('rangeSize', () => {
  it('counts addresses between the bounds, defaulting to the subnet hosts', () => {
    expect(rangeSize('10.0.0.0/24', null, null)).toBe(254);
    expect(rangeSize('10.0.0.0/31', null, null)).toBe(2);
    expect(rangeSize('10.0.0.0/24', '10.0.0.200', null)).toBe(55);
    expect(rangeSize(null, '10.0.0.5', '10.0.0.4')).toBeNull();
    expect(rangeSize('not-a-cidr', null, null)).toBeNull();
  });
});
