// oda-deploy: a TM Forum ODA Component is installed on a hub and the canvas operators walk it through
// deployment_status In-Progress-CompCon → In-Progress-IDConfOp → In-Progress-SecretMan →
// In-Progress-DepApi (ExposedAPIs created, implementation not ready) → Complete (ExposedAPIs ready).
import type { ObjectMeta } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { odaEnvironment } from '../fleet/hub.js';
import {
  ODA_CATALOGUE,
  ODA_DEPLOYMENT_SEQUENCE,
  ODA_NAMESPACE,
  odaComponentName,
  odaComponentObject,
  odaComponentStatus,
  odaExposedApiObjects,
  type OdaComponentDef,
} from '../fleet/oda.js';
import { optionalString, ParamError, timeScaleOf } from './params.js';
import type { ScenarioDefinition } from './scenario.js';

/** Seconds between two deployment states (scenario time). */
export const ODA_STEP_SECONDS = 2;

export const odaDeploy: ScenarioDefinition = {
  name: 'oda-deploy',
  description: 'Deploy an ODA Component on a hub: deployment_status In-Progress-CompCon → … → Complete, ExposedAPIs become ready.',
  params: [`cluster? (default the first hub)`, `component? (${ODA_CATALOGUE.map((d) => d.name).join(' | ')}; default the first)`, 'release? (default the first free r2, r3 …)', 'timeScale?'],
  start(ctx, params) {
    timeScaleOf(params);
    const clusterName = optionalString(params, 'cluster');
    const cluster = clusterName ? ctx.runtime.clusters.get(clusterName) : [...ctx.runtime.clusters.values()].find((c) => c.spec.role === 'hub');
    if (!cluster) throw new ParamError(clusterName ? `unknown cluster "${clusterName}"` : 'no hub cluster in the fleet; give "cluster"');
    const componentName = optionalString(params, 'component') ?? ODA_CATALOGUE[0].name;
    const base = ODA_CATALOGUE.find((d) => d.name === componentName);
    if (!base) throw new ParamError(`"component" must be one of ${ODA_CATALOGUE.map((d) => d.name).join(', ')}`);
    const store = cluster.store;
    let release = optionalString(params, 'release');
    if (release !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(release)) throw new ParamError('"release" must be a DNS label, e.g. r2');
    if (release === undefined) {
      for (let i = 2; ; i++) {
        if (!store.get(K.odaComponents, ODA_NAMESPACE, `r${i}-${base.name}`)) {
          release = `r${i}`;
          break;
        }
      }
    }
    const def: OdaComponentDef = { ...base, release };
    const name = odaComponentName(def);
    if (store.get(K.odaComponents, ODA_NAMESPACE, name)) throw new ParamError(`Component "${name}" already exists in ${cluster.name}/${ODA_NAMESPACE}`);
    if (!store.get(K.namespaces, undefined, ODA_NAMESPACE)) throw new ParamError(`cluster "${cluster.name}" has no "${ODA_NAMESPACE}" namespace (no ODA Canvas?)`);
    const env = odaEnvironment(cluster.name);
    const meta: ObjectMeta = { name, namespace: ODA_NAMESPACE };

    const created = store.create(K.odaComponents, odaComponentObject(def, meta, odaComponentStatus(def, 'In-Progress-CompCon', env)));
    const setStatus = (state: (typeof ODA_DEPLOYMENT_SEQUENCE)[number], uids: Record<string, string> = {}) =>
      store.mutate(K.odaComponents, ODA_NAMESPACE, name, (c) => ({ ...c, status: odaComponentStatus(def, state, env, uids) }));
    const apiUids = (): Record<string, string> =>
      Object.fromEntries(
        store
          .list(K.odaExposedApis, ODA_NAMESPACE)
          .filter((a) => a.metadata.ownerReferences?.some((o) => o.uid === created.metadata.uid))
          .map((a) => [(a.spec as { name: string }).name, a.metadata.uid ?? '']),
      );

    ctx.after(ODA_STEP_SECONDS, () => void setStatus('In-Progress-IDConfOp'));
    ctx.after(2 * ODA_STEP_SECONDS, () => void setStatus('In-Progress-SecretMan'));
    ctx.after(3 * ODA_STEP_SECONDS, () => {
      for (const api of odaExposedApiObjects(def, created.metadata, env, false, (apiName) => ({ name: apiName, namespace: ODA_NAMESPACE }))) {
        store.create(K.odaExposedApis, api);
      }
      setStatus('In-Progress-DepApi', apiUids());
    });
    ctx.after(4 * ODA_STEP_SECONDS, () => {
      for (const api of odaExposedApiObjects(def, created.metadata, env, true, (apiName) => ({ name: apiName, namespace: ODA_NAMESPACE }))) {
        store.mutate(K.odaExposedApis, ODA_NAMESPACE, api.metadata.name, (a) => ({ ...a, status: api.status }));
      }
      setStatus('Complete', apiUids());
    });
  },
};
