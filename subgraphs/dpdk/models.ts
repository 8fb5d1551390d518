// The parent objects the dpdk resolvers receive (codegen mappers). A DPDK pod is found from its Pod
// object (marker, node, network-status); its ports and their data are read lazily through the request's
// telemetry loaders, so a query pays only for the telemetry it selects.
import type { DpdkMarker } from './generated/types.js';
import type { NetworkStatusEntry } from '../kube/multus.js';
export type { ClusterRef, NodeRef, PodRef } from '../common/entity-refs.js';

export interface VfRef {
  clusterName: string;
  nodeName: string;
  pciAddress: string;
}

export interface PodDpdkModel {
  clusterName: string;
  namespace: string;
  podName: string;
  /** Distinguishes a re-created pod of the same name (its counters restart). */
  uid: string;
  nodeName: string | null;
  marker: DpdkMarker;
  telemetryPort: number;
  endpoint: string;
  networks: NetworkStatusEntry[];
}

export interface DpdkPortModel {
  pod: PodDpdkModel;
  portId: number;
}

export interface NodeDpdkModel {
  clusterName: string;
  nodeName: string;
  pods: PodDpdkModel[];
}

export interface ClusterDpdkModel {
  clusterName: string;
  pods: PodDpdkModel[];
}
