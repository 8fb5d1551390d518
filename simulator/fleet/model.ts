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
  /** Single-node edge DU sites, up to 2,000. */
  edges: number;
  /**
   * "Now" of the generated fleet (ms since epoch): creation and event timestamps lie before it. Defaults
   * to a fixed date so the same options give identical JSON; the simulator may pass Date.now().
   */
  referenceTime?: number;
}

export const DEMO_FLEET: FleetOptions = { seed: 1, hubs: 1, regionals: 3, edges: 12 };
