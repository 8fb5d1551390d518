// The simulated o2ims operator of every hub: like the real one it watches ProvisioningRequests and
// drives each request a client creates (ADDED without status) through the lifecycle of the hub's CRD
// variant, and each request marked for deletion (deletionTimestamp set while its finalizer is on)
// through the teardown. Durations: provisioning-driver.ts, divided by `timeScale`.
import type { SimCluster, SimulatorRuntime } from '../cluster.js';
import type { StoreEvent } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { PR_FINALIZERS } from '../fleet/o2ims.js';
import { runScenario, type ScenarioDefinition, type ScenarioHandle } from './scenario.js';
import { acceptRequest, scheduleDeletion, scheduleLifecycle, variantOfHub, type RequestRef } from './provisioning-driver.js';
import { beginDeletion } from './provisioning.js';

export interface ProvisioningOperatorOptions {
  /** Divides every operator delay (default 1). */
  timeScale?: number;
  /** Seed of the edge clusters it generates (default 1). */
  seed?: number;
}

function driver(name: string, run: (ctx: Parameters<ScenarioDefinition['start']>[0]) => void): ScenarioDefinition {
  return { name, description: 'o2ims operator', params: [], start: (ctx) => run(ctx) };
}

/** Start the operator on every hub; returns a function that stops it (pending steps are dropped). */
export function startProvisioningOperator(runtime: SimulatorRuntime, options: ProvisioningOperatorOptions = {}): () => void {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error('provisioning operator: timeScale must be greater than 0');
  const handles = new Set<ScenarioHandle>();
  const unsubscribes: (() => void)[] = [];
  let stopped = false;
  const run = (def: ScenarioDefinition) => {
    if (stopped) return;
    const handle = runScenario(runtime, def, { timeScale }, timeScale);
    handles.add(handle);
    void handle.done.finally(() => handles.delete(handle));
  };

  const watchHub = (hub: SimCluster) => {
    const onEvent = (event: StoreEvent) => {
      const pr = event.object;
      const ref: RequestRef = { hub, variant: variantOfHub(hub), name: pr.metadata.name, seed: options.seed ?? 1 };
      if (event.type === 'ADDED' && pr.status === undefined && !pr.metadata.deletionTimestamp) {
        // After the create returns: the store is in the middle of recording the ADDED event.
        queueMicrotask(() => {
          const current = hub.store.get(K.provisioningRequests, undefined, ref.name);
          if (!current || current.status !== undefined) return;
          run(driver(`provisioning-operator:${hub.name}/${ref.name}`, (ctx) => {
            acceptRequest(ctx, ref);
            scheduleLifecycle(ctx, ref);
          }));
        });
        return;
      }
      if (event.type === 'MODIFIED' && pr.metadata.deletionTimestamp && (pr.metadata.finalizers ?? []).includes(PR_FINALIZERS[ref.variant])) {
        queueMicrotask(() => {
          if (!hub.store.get(K.provisioningRequests, undefined, ref.name) || !beginDeletion(runtime, hub, ref.name)) return;
          run(driver(`provisioning-operator:${hub.name}/${ref.name}:delete`, (ctx) => scheduleDeletion(ctx, ref)));
        });
      }
    };
    unsubscribes.push(hub.store.subscribe(K.provisioningRequests, onEvent));
  };
  for (const c of runtime.clusters.values()) if (c.spec.role === 'hub') watchHub(c);
  return () => {
    stopped = true;
    for (const u of unsubscribes) u();
    for (const h of handles) h.cancel();
  };
}
