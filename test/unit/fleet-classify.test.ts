import { classifyPod } from '../../subgraphs/fleet/classify.js';

describe('CNF workload classification', () => {
  it('prefers an explicit label and names the rule', () => {
    expect(classifyPod({ namespace: 'ran-sim', name: 'app-0', labels: { 'app.kubernetes.io/component': 'du' } })).toEqual({
      kind: 'VDU',
      rule: 'label app.kubernetes.io/component=du',
    });
    expect(classifyPod({ namespace: 'x', name: 'p', labels: { 'cnf-type': 'upf' } })).toEqual({ kind: 'UPF', rule: 'label cnf-type=upf' });
  });

  it('falls back to a token of the owner name, then the pod name', () => {
    expect(classifyPod({ namespace: '5g-core', name: 'core-7f9c-abcde', labels: {}, ownerName: 'open5gs-amf-7f9c' })).toEqual({
      kind: 'AMF',
      rule: 'owner token amf',
    });
    expect(classifyPod({ namespace: '5g-core', name: 'smf-0', labels: {} })).toEqual({ kind: 'SMF', rule: 'name token smf' });
  });

  it('uses the namespace prefix the seed searched when nothing else matches', () => {
    expect(classifyPod({ namespace: 'du-site7', name: 'l1-app-0', labels: {} })).toEqual({ kind: 'VDU', rule: 'namespace du-*' });
    expect(classifyPod({ namespace: 'cu-east', name: 'stack-0', labels: {} })).toEqual({ kind: 'VCU', rule: 'namespace cu-*' });
  });

  it('does not mistake a site name inside a pod name for a DU', () => {
    expect(classifyPod({ namespace: 'monitoring', name: 'probe-du-001', labels: {} })).toBeNull();
  });

  it('never classifies platform pods', () => {
    expect(classifyPod({ namespace: 'openshift-ptp', name: 'linuxptp-daemon-du', labels: { app: 'linuxptp-daemon' } })).toBeNull();
    expect(classifyPod({ namespace: 'kube-system', name: 'upf-looking-thing', labels: {} })).toBeNull();
  });

  it('returns null for ordinary workloads', () => {
    expect(classifyPod({ namespace: 'web', name: 'nginx-1', labels: { app: 'nginx' } })).toBeNull();
  });
});
