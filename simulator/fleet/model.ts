// What the fleet generator produces and the API server serves: one spec per simulated cluster.
import type { KubeObject } from '../types.js';

export type ClusterRole = 'hub' | 'regional' | 'edge';

export interface SimClusterSpec {
  name: string;
  role: ClusterRole;
  /** Fleet labels (site, region, role …): written to the fleet file next to the kubeconfig. */
  labels: Record<string, string>;
  platform: 'OpenShift' | 'Kubernetes';
  /** e.g. `v1.31.6` (OpenShift: `v1.31.6+ocp`) served on `/version`. */
  kubernetesVersion: string;
  /** Initial objects in their upstream shapes (apiVersion + kind + metadata + spec/status). */
  objects: KubeObject[];
}

export interface FleetOptions {
  seed: number;
  hubs: number;
  regionals: number;
  edges: number;
}

export const DEMO_FLEET: FleetOptions = { seed: 1, hubs: 1, regionals: 2, edges: 12 };
