// The parent objects the timing resolvers receive (codegen mappers). Node PTP and events are computed
// whole by pure functions (ptp-metrics.ts, events.ts); `node` fields are entity stubs the gateway
// resolves in the fleet subgraph.
import type { ClusterError } from '../kube/errors.js';
import type { ClockState, NodePtp, PtpClock, PtpClockClassEvent, PtpClockStateEvent, PtpPort, PtpProcess } from './generated/types.js';
import type { NodePtpDeviceObject, PtpConfigObject, PtpOperatorConfigObject } from './upstream.js';
export type { ClusterRef, NodeRef } from '../common/entity-refs.js';

/** The ptp.openshift.io objects of one cluster (from watch caches; shared by requests: never mutated). */
export interface PtpObjects {
  readonly operatorConfig: PtpOperatorConfigObject | null;
  readonly configs: readonly PtpConfigObject[];
  readonly devices: readonly NodePtpDeviceObject[];
}

export interface ClusterPtpModel {
  clusterName: string;
  objects: PtpObjects;
}

/**
 * A node's PTP as decoded. The metric fields are nullable in the schema only so a metrics failure can
 * null them one by one: a decoded node always has them. `metricsError`: the node's configuration was
 * read but its metrics were not; every metric field answers with this error (resolvers.ts).
 */
export type NodePtpModel = Omit<NodePtp, '__typename' | 'node' | 'syncState' | 'beyondThreshold' | 'clocks' | 'ports' | 'processes'> & {
  syncState: ClockState;
  beyondThreshold: boolean;
  clocks: PtpClock[];
  ports: PtpPort[];
  processes: PtpProcess[];
  metricsError?: ClusterError;
};

export type PtpClockStateEventModel = Omit<PtpClockStateEvent, '__typename' | 'node'>;

export type PtpClockClassEventModel = Omit<PtpClockClassEvent, '__typename' | 'node'>;
