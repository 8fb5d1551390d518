// The parent objects the sriov resolvers receive (codegen mappers). Node states, policies and networks
// are mapped whole by pure functions (sources.ts); fields that need more reads of the cluster (pods,
// nodes, NADs) are resolved from these through the request's loaders. `node`/`pod` fields are entity
// stubs the gateway resolves in the fleet subgraph.
import type {
  SriovDrainState,
  SriovInterfaceSpec,
  SriovSyncChange,
  SriovSyncStatus,
  SriovNetwork,
  SriovPhysicalFunction,
  SriovVirtualFunction,
  SriovVfAllocation,
} from './generated/types.js';
export type { ClusterRef, NodeRef, PodRef } from '../common/entity-refs.js';

export type VirtualFunctionModel = Omit<SriovVirtualFunction, '__typename' | 'allocation'>;

export interface PhysicalFunctionModel extends Omit<SriovPhysicalFunction, '__typename' | 'vfs'> {
  vfs: VirtualFunctionModel[];
}

export interface NodeSriovModel {
  clusterName: string;
  nodeName: string;
  namespace: string;
  syncStatus: SriovSyncStatus;
  lastSyncError: string | null;
  inSync: boolean;
  desiredState: SriovDrainState | null;
  currentState: SriovDrainState | null;
  rdmaMode: string | null;
  physicalFunctions: PhysicalFunctionModel[];
  desiredInterfaces: Omit<SriovInterfaceSpec, '__typename'>[];
}

export interface ClusterSriovModel {
  clusterName: string;
  /** Every node state of the cluster, by node name. */
  nodes: NodeSriovModel[];
}

/** VF counts over some node states; `allocated` needs the cluster's pods. */
export interface VfTotalsModel {
  clusterName: string;
  nodes: NodeSriovModel[];
}

export type VfAllocationModel = Omit<SriovVfAllocation, '__typename' | 'pod' | 'vf'> & { clusterName: string };

export interface SriovNetworkModel extends Omit<SriovNetwork, '__typename' | 'ipam' | 'attachmentDefinition'> {
  clusterName: string;
}

export interface SyncStatusEventModel {
  clusterName: string;
  nodeName: string;
  changes: SriovSyncChange[];
  syncStatus: SriovSyncStatus;
  previousSyncStatus: SriovSyncStatus | null;
  lastSyncError: string | null;
  desiredState: SriovDrainState | null;
  previousDesiredState: SriovDrainState | null;
  currentState: SriovDrainState | null;
  previousCurrentState: SriovDrainState | null;
  sriov: NodeSriovModel;
  time: string;
}
