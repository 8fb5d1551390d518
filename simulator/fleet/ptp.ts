// PTP operator objects of an edge site (domain-models §1.1): PtpOperatorConfig `default`, one PtpConfig
// whose profile matches the site's role (T-GM with ts2phc/GNSS, T-BC, OC), a NodePtpDevice and a
// linuxptp-daemon pod per node, the DaemonSet and the ptp-monitor-service.
import type { KubeObject } from '../types.js';
import type { ClusterBuilder } from './builder.js';
import { daemonSet, pod, service, type ContainerSpec } from './core.js';
import { deepFreeze } from './frozen.js';
import type { EdgeProfile, OcpVersion, PtpRole } from './profiles.js';

export const PTP_NAMESPACE = 'openshift-ptp';
/** PTP-capable ports of the timing NIC (an E810) on every edge node. */
export const PTP_PORTS = ['ens5f0', 'ens5f1', 'ens5f2', 'ens5f3'] as const;
/** The ports that carry SR-IOV VFs are PTP-capable too and show up in NodePtpDevice. */
const OTHER_PTP_CAPABLE = ['ens1f0', 'ens1f1'] as const;

const GLOBAL_COMMON = `#
# Default Data Set
#
twoStepFlag 1
priority1 128
priority2 128
domainNumber 24
clockAccuracy 0xFE
offsetScaledLogVariance 0xFFFF
free_running 0
freq_est_interval 1
dscp_event 0
dscp_general 0
dataset_comparison G.8275.x
G.8275.defaultDS.localPriority 128
logAnnounceInterval -3
logSyncInterval -4
logMinDelayReqInterval -4
announceReceiptTimeout 3
delay_mechanism E2E
network_transport L2
time_stamping hardware
tx_timestamp_timeout 50
summary_interval 0
clock_servo pi
step_threshold 2.0
first_step_threshold 0.00002
boundary_clock_jbod 0
`;

function ptp4lConf(ports: { name: string; masterOnly: boolean }[], global: string): string {
  return `${ports.map((p) => `[${p.name}]\nmasterOnly ${p.masterOnly ? 1 : 0}\n`).join('')}[global]\n${global}${GLOBAL_COMMON}`;
}

const TS2PHC_CONF = `[nmea]
ts2phc.master 1
[global]
use_syslog 0
verbose 1
logging_level 7
ts2phc.pulsewidth 100000000
ts2phc.nmea_serialport /dev/gnss0
leapfile /usr/share/zoneinfo/leap-seconds.list
[ens5f0]
ts2phc.extts_polarity rising
ts2phc.extts_correction 0
`;

interface RoleTemplate {
  configName: string;
  profileName: string;
  profile: Record<string, unknown>;
}

const ROLE_TEMPLATES: Record<PtpRole, RoleTemplate> = deepFreeze({
  OC: {
    configName: 'du-ptp-slave',
    profileName: 'slave',
    profile: {
      interface: 'ens5f0',
      ptp4lOpts: '-2 -s --summary_interval -4',
      phc2sysOpts: '-a -r -n 24 -N 8 -R 16',
      ptp4lConf: ptp4lConf([{ name: 'ens5f0', masterOnly: false }], 'slaveOnly 1\nclockClass 255\n'),
      ptpSchedulingPolicy: 'SCHED_FIFO',
      ptpSchedulingPriority: 10,
      ptpSettings: { logReduce: 'true' },
    },
  },
  'T-BC': {
    configName: 'boundary-clock',
    profileName: 'boundary',
    profile: {
      ptp4lOpts: '-2 --summary_interval -4',
      phc2sysOpts: '-a -r -n 24 -N 8 -R 16',
      ptp4lConf: ptp4lConf(
        [
          { name: 'ens5f0', masterOnly: false },
          { name: 'ens5f1', masterOnly: true },
          { name: 'ens5f2', masterOnly: true },
        ],
        'slaveOnly 0\nclockClass 248\n',
      ),
      ptpSchedulingPolicy: 'SCHED_FIFO',
      ptpSchedulingPriority: 10,
      ptpSettings: { logReduce: 'true' },
    },
  },
  'T-GM': {
    configName: 'grandmaster',
    profileName: 'grandmaster',
    profile: {
      ptp4lOpts: '-2 --summary_interval -4',
      phc2sysOpts: '-r -u 0 -m -w -N 8 -R 16 -s ens5f0 -n 24',
      ts2phcOpts: ' ',
      ts2phcConf: TS2PHC_CONF,
      ptp4lConf: ptp4lConf(
        PTP_PORTS.map((name) => ({ name, masterOnly: true })),
        'slaveOnly 0\nclockClass 6\n',
      ),
      ptpSchedulingPolicy: 'SCHED_FIFO',
      ptpSchedulingPriority: 10,
      ptpSettings: { logReduce: 'true' },
      plugins: {
        e810: {
          enableDefaultConfig: false,
          settings: { LocalHoldoverTimeout: 14400, LocalMaxHoldoverOffSet: 1500, MaxInSpecOffset: 100 },
          pins: { ens5f0: { 'SMA1': '0 1', 'SMA2': '0 2', 'U.FL1': '0 1', 'U.FL2': '0 2' } },
          ublxCmds: [{ args: ['-P', '29.20', '-z', 'CFG-HW-ANT_CFG_VOLTCTRL,1'], reportOutput: false }],
        },
      },
    },
  },
});

const OPERATOR_IMAGE: Record<OcpVersion, string> = {
  '4.16': 'registry.redhat.io/openshift4/ose-ptp-rhel9:v4.16',
  '4.18': 'registry.redhat.io/openshift4/ose-ptp-rhel9:v4.18',
  '4.20': 'registry.redhat.io/openshift4/ose-ptp-rhel9:v4.20',
};

const METRICS_PORT = { name: 'metrics', containerPort: 9091, protocol: 'TCP' } as const;
const RBAC_PROXY: ContainerSpec = deepFreeze({
  name: 'kube-rbac-proxy',
  image: 'registry.redhat.io/openshift4/ose-kube-rbac-proxy-rhel9:latest',
  ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
  resources: { requests: { cpu: '10m', memory: '20Mi' } },
});

const daemonContainers = new Map<string, readonly ContainerSpec[]>();

/**
 * linuxptp-daemon pod containers. Events off: the daemon serves :9091/metrics. Events on: the
 * cloud-event-proxy sidecar serves :9091/metrics (and the REST API on :9043) instead.
 */
export function linuxptpContainers(version: OcpVersion, eventsEnabled: boolean): readonly ContainerSpec[] {
  const key = `${version}/${eventsEnabled}`;
  let containers = daemonContainers.get(key);
  if (!containers) {
    const daemon: ContainerSpec = {
      name: 'linuxptp-daemon-container',
      image: OPERATOR_IMAGE[version],
      resources: { requests: { cpu: '20m', memory: '50Mi' } },
      ...(eventsEnabled ? {} : { ports: [METRICS_PORT] }),
    };
    containers = eventsEnabled
      ? [
          daemon,
          {
            name: 'cloud-event-proxy',
            image: `registry.redhat.io/openshift4/ose-cloud-event-proxy-rhel9:v${version}`,
            ports: [METRICS_PORT, { name: 'rest-api', containerPort: 9043, protocol: 'TCP' }],
          },
          RBAC_PROXY,
        ]
      : [daemon, RBAC_PROXY];
    daemonContainers.set(key, deepFreeze(containers));
  }
  return containers;
}

const HW_INFO_BASE = deepFreeze({
  vendorID: '8086',
  deviceID: '1593',
  subsystemVendorID: '8086',
  subsystemDeviceID: '0005',
  firmwareVersion: '4.40 0x8001c967 1.3534.0',
  driverVersion: '1.14.9.2',
  linkStatus: 'up',
  linkSpeed: '25000Mb/s',
  fec: 'RS-FEC',
  vpdIdentifierString: 'Intel(R) Ethernet Network Adapter E810-XXVDA4T',
  vpdPartNumber: 'M87010-005',
  vpdManufacturerID: 'Intel Corporation',
  vpdProductName: 'E810-XXVDA4T',
  vpdVendorSpecific1: '',
  vpdVendorSpecific2: '',
});

export interface PtpNodeInput {
  obj: KubeObject;
  name: string;
  ip: string;
}

export function addPtp(b: ClusterBuilder, site: EdgeProfile, nodes: PtpNodeInput[]): void {
  const eventsEnabled = site.eventsEnabled;
  b.add({
    apiVersion: 'ptp.openshift.io/v1',
    kind: 'PtpOperatorConfig',
    metadata: b.meta('default', PTP_NAMESPACE, { createdAfterSeconds: 600 }),
    spec: {
      daemonNodeSelector: {},
      ptpEventConfig: eventsEnabled
        ? {
            enableEventPublisher: true,
            transportHost: 'http://ptp-event-publisher-service-NODE_NAME.openshift-ptp.svc.cluster.local:9043',
            storageType: 'emptyDir',
            apiVersion: site.ocpVersion === '4.16' ? '1.0' : '2.0',
          }
        : { enableEventPublisher: false },
    },
    status: {},
  });

  const template = ROLE_TEMPLATES[site.ptpRole];
  const profile = {
    name: template.profileName,
    ...template.profile,
    ptpClockThreshold: { holdOverTimeout: site.holdOverTimeout, maxOffsetThreshold: 100, minOffsetThreshold: -100 },
  };
  const match = site.matchByNodeName
    ? nodes.map((n) => ({ nodeName: n.name }))
    : [{ nodeLabel: 'node-role.kubernetes.io/master' }];
  b.add({
    apiVersion: 'ptp.openshift.io/v1',
    kind: 'PtpConfig',
    metadata: b.meta(template.configName, PTP_NAMESPACE, { createdAfterSeconds: 700 }),
    spec: {
      profile: [profile],
      recommend: [{ profile: template.profileName, priority: 4, match }],
    },
    status: site.matchListPresent
      ? { matchList: nodes.map((n) => ({ nodeName: n.name, profile: template.profileName })) }
      : {},
  });

  const containers = linuxptpContainers(site.ocpVersion, eventsEnabled);
  const labels = { app: 'linuxptp-daemon' };
  const ds = daemonSet(b, { name: 'linuxptp-daemon', namespace: PTP_NAMESPACE, labels, containers, nodeCount: nodes.length });
  for (const n of nodes) {
    const devices = [...OTHER_PTP_CAPABLE, ...PTP_PORTS].map((name, i) => {
      const device: Record<string, unknown> = { name, profile: '' };
      if (site.hardwareInfo) {
        device.hardwareInfo = {
          pciAddress: i < 2 ? `0000:51:00.${i}` : `0000:8a:00.${i - 2}`,
          ...HW_INFO_BASE,
          vpdSerialNumber: b.hex(12).toUpperCase(),
        };
      }
      return device;
    });
    b.add({
      apiVersion: 'ptp.openshift.io/v1',
      kind: 'NodePtpDevice',
      metadata: b.meta(n.name, PTP_NAMESPACE, { createdAfterSeconds: 650 }),
      spec: {},
      status: { devices },
    });
    pod(b, {
      name: `linuxptp-daemon-${b.suffix()}`,
      namespace: PTP_NAMESPACE,
      nodeName: n.name,
      labels: { ...labels, 'controller-revision-hash': '6b4f7d9c8d', 'pod-template-generation': '1' },
      containers,
      hostIP: n.ip,
      hostNetwork: true,
      owner: ds,
      serviceAccountName: 'linuxptp-daemon',
      priorityClassName: 'system-node-critical',
    });
  }
  service(b, {
    name: 'ptp-monitor-service',
    namespace: PTP_NAMESPACE,
    labels: { name: 'ptp-monitor-service' },
    selector: labels,
    ports: [{ name: 'metrics', port: 8443, targetPort: 'https' }],
    headless: true,
  });
}
