// The parent objects the fleet resolvers receive (codegen mappers): mapped, plain data plus the
// cluster name, so entity fields (node.pods, pod.node …) can load more through the request's loaders.
import type { CnfKind } from './generated/types.js';

export interface ClusterModel {
  name: string;
}

export interface LabelModel {
  key: string;
  value: string;
}

export interface NodeModel {
  clusterName: string;
  name: string;
  roles: string[];
  labels: LabelModel[];
  ready: boolean;
  conditions: { type: string; status: string; reason: string | null; message: string | null; lastTransitionTime: string | null }[];
  kubeletVersion: string | null;
  osImage: string | null;
  capacity: { name: string; value: string }[];
  allocatable: { name: string; value: string }[];
}

export interface PodModel {
  clusterName: string;
  namespace: string;
  name: string;
  phase: string | null;
  nodeName: string | null;
  labels: LabelModel[];
  containers: { name: string; image: string; ready: boolean | null; restartCount: number | null; state: string | null }[];
  podIP: string | null;
  createdAt: string | null;
  cnf: { kind: CnfKind; rule: string } | null;
}

export interface CnfWorkloadModel {
  kind: CnfKind;
  rule: string;
  pod: PodModel;
}
