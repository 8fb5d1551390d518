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
  /**
   * API groups this cluster serves at an older version than the simulator's default, group → version
   * (e.g. `{"oda.tmforum.org": "v1beta3"}`: its CRDs are an older release that serves only that version).
   * Discovery, paths and the objects' apiVersion follow it. Absent: every group at its default version.
   */
  servedVersions?: Record<string, string>;
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

/** Two hubs, so the two management clusters serve one ProvisioningRequest CRD variant each. */
export const DEMO_FLEET: FleetOptions = { seed: 1, hubs: 2, regionals: 3, edges: 12 };
