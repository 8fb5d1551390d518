// Timing: the PTP operator's objects as it and linuxptp-daemon write them. Metrics come through the pod
// proxy of the daemon pod: the simulator's exporter answers, the real server (no pod network) cannot.
import { expect } from '@jest/globals';
import type { KubeObject } from '../../../../simulator/types.js';
import { CLUSTER, codes, errorsAt, NODE, type Domain } from '../domain.js';

const NS = 'openshift-ptp';

const operatorConfig: KubeObject = {
  apiVersion: 'ptp.openshift.io/v1',
  kind: 'PtpOperatorConfig',
  metadata: { name: 'default', namespace: NS },
  spec: { daemonNodeSelector: {}, ptpEventConfig: { enableEventPublisher: false } },
  status: {},
};

const ptpConfig: KubeObject = {
  apiVersion: 'ptp.openshift.io/v1',
  kind: 'PtpConfig',
  metadata: { name: 'du-slave', namespace: NS },
  spec: {
    profile: [
      {
        name: 'slave',
        interface: 'ens5f0',
        ptp4lOpts: '-2 -s --summary_interval -4',
        phc2sysOpts: '-a -r -m -n 24 -N 8 -R 16',
        ptpSchedulingPolicy: 'SCHED_FIFO',
        ptpSchedulingPriority: 10,
        ptpClockThreshold: { holdOverTimeout: 5, maxOffsetThreshold: 100, minOffsetThreshold: -100 },
      },
    ],
    recommend: [{ profile: 'slave', priority: 4, match: [{ nodeLabel: 'node-role.kubernetes.io/master' }] }],
  },
  status: { matchList: [{ nodeName: NODE, profile: 'slave' }] },
};

// the daemon writes profile "" for every device
const device: KubeObject = {
  apiVersion: 'ptp.openshift.io/v1',
  kind: 'NodePtpDevice',
  metadata: { name: NODE, namespace: NS },
  spec: {},
  status: { devices: [{ name: 'ens5f0', profile: '' }, { name: 'ens5f1', profile: '' }] },
};

export const timing: Domain = {
  name: 'timing',
  objects: [operatorConfig, ptpConfig, device],
  checks: [
    {
      name: 'PTP configuration (operator config, profiles, matches, devices)',
      query: `{ cluster(name: "${CLUSTER}") { ptp {
        operatorConfig { name eventPublisherEnabled daemonNodeSelector { key } }
        configs { name profiles { name interface schedulingPolicy schedulingPriority } matches { nodeName profile } matchSource }
        devices { nodeName devices { name alias profile } }
      } } }`,
      verify(answer) {
        expect(answer.errors).toBeUndefined();
        const ptp = answer.data.cluster.ptp;
        expect(ptp.operatorConfig).toEqual({ name: 'default', eventPublisherEnabled: false, daemonNodeSelector: [] });
        expect(ptp.configs).toEqual([
          { name: 'du-slave', profiles: [{ name: 'slave', interface: 'ens5f0', schedulingPolicy: 'SCHED_FIFO', schedulingPriority: 10 }], matches: [{ nodeName: NODE, profile: 'slave' }], matchSource: expect.any(String) },
        ]);
        expect(ptp.devices).toEqual([{ nodeName: NODE, devices: [expect.objectContaining({ name: 'ens5f0', alias: 'ens5fx' }), expect.objectContaining({ name: 'ens5f1', alias: 'ens5fx' })] }]);
        return `1 config, ${ptp.devices[0].devices.length} devices, device profile ${JSON.stringify(ptp.devices[0].devices[0].profile)}`;
      },
    },
    {
      name: 'Node.ptp: configuration and metrics',
      query: `{ cluster(name: "${CLUSTER}") { node(name: "${NODE}") { ptp {
        profiles thresholds { profile holdOverTimeoutSeconds maxOffsetNs minOffsetNs source }
        device { devices { name } } syncState offsetNs read { source }
      } } } }`,
      verify(answer, target) {
        const ptp = answer.data?.cluster?.node?.ptp;
        if (target === 'simulator') {
          expect(answer.errors).toBeUndefined();
          expect(ptp).toMatchObject({ profiles: ['slave'], thresholds: { holdOverTimeoutSeconds: 5, maxOffsetNs: 100, minOffsetNs: -100 }, read: { source: 'POD_PROXY' } });
          return `${ptp.syncState}, offset ${ptp.offsetNs} ns, thresholds from ${ptp.thresholds.source}`;
        }
        // No pod network behind the real server: the daemon's metrics cannot be read. The configuration
        // still answers, and each metric field is null with the coded error (issue 18, second bug).
        expect(ptp).toMatchObject({ profiles: ['slave'], thresholds: { profile: 'slave', holdOverTimeoutSeconds: 5, maxOffsetNs: 100, minOffsetNs: -100, source: 'PTP_CONFIG' }, device: { devices: [{ name: 'ens5f0' }, { name: 'ens5f1' }] } });
        expect([ptp.syncState, ptp.offsetNs, ptp.read]).toEqual([null, null, null]);
        const errors = errorsAt(answer, ['cluster', 'node', 'ptp']);
        expect(errors.map((e) => e.path![3]).sort()).toEqual(['offsetNs', 'read', 'syncState']);
        for (const e of errors) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: CLUSTER });
        return `profiles ${ptp.profiles.join(',')}, thresholds from ${ptp.thresholds.source}; metrics: ${codes(answer)}`;
      },
    },
  ],
};
