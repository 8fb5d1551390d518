// The parent objects the timing resolvers receive (codegen mappers). Node PTP and events are computed
// whole by pure functions (ptp-metrics.ts, events.ts); `node` fields are entity stubs the gateway
// resolves in the fleet subgraph.
import type { NodePtp, PtpClockClassEvent, PtpClockStateEvent } from './generated/types.js';
import type { NodePtpDeviceObject, PtpConfigObject, PtpOperatorConfigObject } from './upstream.js';
export type { ClusterRef, NodeRef } from '../common/entity-refs.js';

/** The ptp.openshift.io objects of one cluster (from watch caches). */
export interface PtpObjects {
  operatorConfig: PtpOperatorConfigObject | null;
  configs: PtpConfigObject[];
  devices: NodePtpDeviceObject[];
}

export interface ClusterPtpModel {
  clusterName: string;
  objects: PtpObjects;
}

export type NodePtpModel = Omit<NodePtp, '__typename' | 'node'>;

export type PtpClockStateEventModel = Omit<PtpClockStateEvent, '__typename' | 'node'>;

export type PtpClockClassEventModel = Omit<PtpClockClassEvent, '__typename' | 'node'>;
