/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type ClockState =
  | 'FREERUN'
  | 'HOLDOVER'
  | 'LOCKED'
  /** No clock-state value, or a value outside the encoding. */
  | 'UNKNOWN';

export type CnfKind =
  | 'AMF'
  | 'AUSF'
  | 'NEF'
  | 'NRF'
  | 'NSSF'
  | 'PCF'
  | 'SMF'
  | 'UDM'
  | 'UDR'
  | 'UPF'
  | 'VCU'
  | 'VDU';

/** A filter on a cluster's fleet labels, as in a Kubernetes label selector. */
export type LabelFilter = {
  key: string;
  op?: LabelOperator | null | undefined;
  /** The value for EQUALS / NOT_EQUALS. */
  value?: string | null | undefined;
  /** The values for IN / NOT_IN. */
  values?: Array<string> | null | undefined;
};

export type LabelOperator =
  | 'DOES_NOT_EXIST'
  | 'EQUALS'
  | 'EXISTS'
  | 'IN'
  | 'NOT_EQUALS'
  | 'NOT_IN';

export type Platform =
  | 'KUBERNETES'
  | 'OPENSHIFT';

/** `status.syncStatus` of a SriovNetworkNodeState, as the config daemon writes it. */
export type SriovSyncStatus =
  | 'Failed'
  | 'InProgress'
  | 'Succeeded'
  /** Empty (the daemon has not reported yet) or a value this API does not know. */
  | 'Unknown';

export type ClustersQueryVariables = Exact<{ [key: string]: never; }>;


export type ClustersQuery = { clusters: Array<{ name: string, platform: Platform | null, version: string | null, health: { reachable: boolean, latencyMs: number | null, lastContact: string | null, error: string | null }, nodes: Array<{ name: string, ready: boolean, roles: Array<string>, kubeletVersion: string | null }> | null }> };

export type ClusterWorkloadsQueryVariables = Exact<{
  labels?: Array<LabelFilter> | LabelFilter | null | undefined;
}>;


export type ClusterWorkloadsQuery = { clusters: Array<{ name: string, workloads: Array<{ kind: CnfKind, rule: string, pod: { namespace: string, name: string, phase: string | null, nodeName: string | null } }> | null }> };

export type NodeAllocatableQueryVariables = Exact<{
  cluster: string | number;
  node: string | number;
}>;


export type NodeAllocatableQuery = { cluster: { node: { ready: boolean, allocatable: Array<{ name: string, value: string }> } | null } | null };

export type EdgeSiteQueryVariables = Exact<{
  cluster: string | number;
  limit?: number | null | undefined;
}>;


export type EdgeSiteQuery = { cluster: { nodes: Array<{ name: string, ptp: { syncState: ClockState | null, clockClass: number | null, offsetNs: number | null } | null, sriov: { syncStatus: SriovSyncStatus } | null, dpdk: { pods: Array<{ podName: string, totals: { imissed: number, ierrors: number, rx_nombuf: number, drops: number } | null, ports: Array<{ pciAddress: string | null, vf: { pciAddress: string } | null, link: { up: boolean, speedMbps: number | null } | null }> | null } | null> } | null }> | null } | null };

export type PtpNodesQueryVariables = Exact<{
  states?: Array<ClockState> | ClockState | null | undefined;
  clusterLabels?: Array<LabelFilter> | LabelFilter | null | undefined;
}>;


export type PtpNodesQuery = { ptpNodes: Array<{ clusterName: string, nodeName: string, syncState: ClockState | null, offsetNs: number | null, clockClass: number | null } | null> };

export type PtpClockStateChangedSubscriptionVariables = Exact<{
  states?: Array<ClockState> | ClockState | null | undefined;
}>;


export type PtpClockStateChangedSubscription = { ptpClockStateChanged: { eventType: string, previousState: ClockState, currentState: ClockState, process: string | null, interface: string | null, offsetNs: number | null, time: string, node: { name: string, cluster: { name: string, label: string | null } } } };


export const ClustersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Clusters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clusters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"platform"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reachable"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"lastContact"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"kubeletVersion"}}]}}]}}]}}]} as unknown as DocumentNode<ClustersQuery, ClustersQueryVariables>;
export const ClusterWorkloadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClusterWorkloads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"labels"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LabelFilter"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clusters"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"labels"},"value":{"kind":"Variable","name":{"kind":"Name","value":"labels"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"workloads"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"pod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"nodeName"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ClusterWorkloadsQuery, ClusterWorkloadsQueryVariables>;
export const NodeAllocatableDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeAllocatable"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"node"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cluster"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"node"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"allocatable"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<NodeAllocatableQuery, NodeAllocatableQueryVariables>;
export const EdgeSiteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EdgeSite"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"3"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cluster"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"ptp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncState"}},{"kind":"Field","name":{"kind":"Name","value":"clockClass"}},{"kind":"Field","name":{"kind":"Name","value":"offsetNs"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sriov"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dpdk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pods"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"EnumValue","value":"DROPS"}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"podName"}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"imissed"}},{"kind":"Field","name":{"kind":"Name","value":"ierrors"}},{"kind":"Field","name":{"kind":"Name","value":"rx_nombuf"}},{"kind":"Field","name":{"kind":"Name","value":"drops"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ports"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pciAddress"}},{"kind":"Field","name":{"kind":"Name","value":"vf"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pciAddress"}}]}},{"kind":"Field","name":{"kind":"Name","value":"link"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"up"}},{"kind":"Field","name":{"kind":"Name","value":"speedMbps"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<EdgeSiteQuery, EdgeSiteQueryVariables>;
export const PtpNodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PtpNodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"states"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClockState"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clusterLabels"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LabelFilter"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ptpNodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"states"},"value":{"kind":"Variable","name":{"kind":"Name","value":"states"}}},{"kind":"Argument","name":{"kind":"Name","value":"clusterLabels"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clusterLabels"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"nodeName"}},{"kind":"Field","name":{"kind":"Name","value":"syncState"}},{"kind":"Field","name":{"kind":"Name","value":"offsetNs"}},{"kind":"Field","name":{"kind":"Name","value":"clockClass"}}]}}]}}]} as unknown as DocumentNode<PtpNodesQuery, PtpNodesQueryVariables>;
export const PtpClockStateChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PtpClockStateChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"states"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClockState"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ptpClockStateChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"states"},"value":{"kind":"Variable","name":{"kind":"Name","value":"states"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"previousState"}},{"kind":"Field","name":{"kind":"Name","value":"currentState"}},{"kind":"Field","name":{"kind":"Name","value":"process"}},{"kind":"Field","name":{"kind":"Name","value":"interface"}},{"kind":"Field","name":{"kind":"Name","value":"offsetNs"}},{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"label"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"StringValue","value":"region","block":false}}]}]}}]}}]}}]}}]} as unknown as DocumentNode<PtpClockStateChangedSubscription, PtpClockStateChangedSubscriptionVariables>;