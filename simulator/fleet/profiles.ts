// What kind of site each generated cluster is: platform version, PTP role, event mode, CNI. Chosen from
// the cluster's index with co-prime cycles, so a small fleet already mixes every variant and a large one
// repeats the mix deterministically.

export type OcpVersion = '4.16' | '4.18' | '4.20';
export type PtpRole = 'T-GM' | 'T-BC' | 'OC';
export type Cni = 'OVNKubernetes' | 'Calico' | 'Cilium';
export type Region = 'east' | 'west';

/** `/version` gitVersion (and kubelet version) of each OpenShift release we simulate. */
export const OCP_KUBERNETES_VERSION: Record<OcpVersion, string> = {
  '4.16': 'v1.29.10+67d3387',
  '4.18': 'v1.31.6',
  '4.20': 'v1.33.5',
};

/** The OpenShift minor a kubernetes gitVersion belongs to (for version-dependent upstream shapes). */
export function ocpVersionOf(kubernetesVersion: string): OcpVersion | undefined {
  const minor = /^v1\.(\d+)\./.exec(kubernetesVersion)?.[1];
  if (minor === '29') return '4.16';
  if (minor === '31') return '4.18';
  if (minor === '33') return '4.20';
  return undefined;
}

export interface EdgeProfile {
  index: number;
  name: string;
  region: Region;
  ocpVersion: OcpVersion;
  ptpRole: PtpRole;
  /** PtpOperatorConfig ptpEventConfig.enableEventPublisher: selects the clock_state metric encoding. */
  eventsEnabled: boolean;
  /** PtpConfig status.matchList written by the operator (absent on a few sites: recommend rules must be evaluated). */
  matchListPresent: boolean;
  /** A recommend rule that matches by nodeName instead of nodeLabel. */
  matchByNodeName: boolean;
  /** NodePtpDevice devices[].hardwareInfo (newest operator only). */
  hardwareInfo: boolean;
  /** ptpClockThreshold.holdOverTimeout, seconds. */
  holdOverTimeout: number;
  /** The vDU's first sandbox attempts failed (Warning FailedCreatePodSandBox, SR-IOV VLAN refused). */
  sandboxFailure: boolean;
  /** Seconds Multus took to add the vDU's secondary networks (slow SR-IOV setup on some sites). */
  networkSetupSeconds: number;
}

const VERSIONS: OcpVersion[] = ['4.18', '4.20', '4.16'];
const ROLES: PtpRole[] = ['T-GM', 'T-BC', 'T-BC', 'OC'];
const HOLDOVER_BY_ROLE: Record<PtpRole, number[]> = {
  'T-GM': [60, 120],
  'T-BC': [5, 30],
  OC: [10, 5],
};

export function edgeName(index: number): string {
  return `du-${String(index + 1).padStart(3, '0')}`;
}

export function edgeProfile(index: number): EdgeProfile {
  const ptpRole = ROLES[index % 4];
  return {
    index,
    name: edgeName(index),
    region: index % 2 === 0 ? 'east' : 'west',
    ocpVersion: VERSIONS[Math.floor(index / 4) % 3],
    ptpRole,
    eventsEnabled: index % 3 !== 1,
    matchListPresent: !(index % 7 === 5 || index % 11 === 10),
    matchByNodeName: index % 6 === 3,
    hardwareInfo: VERSIONS[Math.floor(index / 4) % 3] === '4.20',
    holdOverTimeout: HOLDOVER_BY_ROLE[ptpRole][Math.floor(index / 4) % 2],
    sandboxFailure: index % 5 === 2,
    networkSetupSeconds: index % 6 === 5 ? 41 : 2 + (index % 3),
  };
}

export interface RegionalProfile {
  index: number;
  name: string;
  region: Region;
  cni: Cni;
  platform: 'OpenShift' | 'Kubernetes';
  kubernetesVersion: string;
  nodeCount: number;
  /** Multus runs: OpenShift's, or upstream Multus next to Cilium (Calico clusters have none). */
  multus: boolean;
}

const REGIONAL_CNI: Cni[] = ['OVNKubernetes', 'Calico', 'Cilium'];

export function regionalProfile(index: number): RegionalProfile {
  const region: Region = index % 2 === 0 ? 'east' : 'west';
  const round = Math.floor(index / 2);
  const cni = REGIONAL_CNI[index % 3];
  const openshift = cni === 'OVNKubernetes';
  return {
    index,
    name: round === 0 ? `regional-${region}` : `regional-${region}-${round + 1}`,
    region,
    cni,
    platform: openshift ? 'OpenShift' : 'Kubernetes',
    kubernetesVersion: openshift ? OCP_KUBERNETES_VERSION['4.16'] : cni === 'Calico' ? 'v1.31.4' : 'v1.33.2',
    nodeCount: openshift ? 4 : 3,
    multus: cni !== 'Calico',
  };
}

export function hubName(index: number): string {
  return `hub-${index + 1}`;
}
