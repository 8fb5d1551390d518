// oda-deploy: a TM Forum ODA Component is installed on a canvas and the operators walk it to Complete,
// then it is upgraded and deleted. Each step changes one fact of the deployment model (fleet/oda.ts) and
// writes what the operators would write, so deployment_status always follows the component operator's
// summary rules: In-Progress-CompCon while its ExposedAPIs become ready one by one → In-Progress-IDConfOp
// → In-Progress-SecretMan (components with secretsManagement) → In-Progress-DepApi while its DependentAPIs
// resolve one by one → Complete. The upgrade changes the version (on v1 it also adds a v5 specification
// of the first core API: a new ExposedAPI, so In-Progress-CompCon again until it is ready). The delete
// cascades to the children through their ownerReferences, or leaves them behind (`orphan: true`, as
// `kubectl delete --cascade=orphan` does: ownerReferences removed).
import { randomUUID } from 'node:crypto';
import type { SimCluster } from '../cluster.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { ODA_CATALOGUE, ODA_NAMESPACE, odaCatalogueEntry } from '../fleet/oda-catalogue.js';
import { odaEnvironment } from '../fleet/oda-canvas.js';
import {
  exposedApiName,
  newOdaDeployment,
  odaComponentName,
  odaComponentObject,
  odaDependentApiObject,
  odaExposedApiObject,
  ODA_GROUP,
  resolveDependents,
  startOperator,
  type OdaApiInstance,
  type OdaDeployment,
  type OdaLayout,
} from '../fleet/oda.js';
import { optionalBoolean, optionalString, ParamError, timeScaleOf } from './params.js';
import type { ScenarioDefinition } from './scenario.js';

/** Seconds between two operator steps (scenario time). */
export const ODA_STEP_SECONDS = 2;

const DEFAULT_COMPONENT = 'productinventory';
const UNTIL = ['complete', 'upgraded', 'deleted'] as const;
type Until = (typeof UNTIL)[number];

/** Which layout the cluster's ODA CRDs serve (SimClusterSpec.servedVersions), or why it cannot be driven. */
function layoutOf(cluster: SimCluster): OdaLayout {
  const version = cluster.spec.servedVersions?.[ODA_GROUP] ?? 'v1';
  if (version !== 'v1' && version !== 'v1beta3') throw new ParamError(`cluster "${cluster.name}" serves ${ODA_GROUP}/${version}; oda-deploy writes v1 or v1beta3`);
  return version;
}

/** 1.1.0 → 1.2.0 */
function nextMinor(version: string): string {
  const [major, minor] = version.split('.').map((n) => Number(n));
  return Number.isInteger(major) && Number.isInteger(minor) ? `${major}.${minor + 1}.0` : `${version}-1`;
}

/** Keeps the store equal to the deployment model: creates, replaces or deletes what differs. */
class DeploymentWriter {
  constructor(
    private readonly cluster: SimCluster,
    private readonly d: OdaDeployment,
  ) {}

  /** Children first (their uids go into the component's status), then the component. */
  sync(): void {
    const { d } = this;
    d.apis.forEach((i) => this.syncChild(K.odaExposedApis, i.exists ? odaExposedApiObject(d, i) : undefined, i.meta));
    d.dependents.forEach((dep) => this.syncChild(K.odaDependentApis, dep.exists ? odaDependentApiObject(d, dep) : undefined, dep.meta));
    this.put(K.odaComponents, odaComponentObject(d));
  }

  private syncChild(kind: string, want: KubeObject | undefined, meta: { name: string; uid?: string }): void {
    const store = this.cluster.store;
    if (!want) {
      if (store.get(kind, ODA_NAMESPACE, meta.name)) store.delete(kind, ODA_NAMESPACE, meta.name);
      return;
    }
    meta.uid = this.put(kind, want).metadata.uid;
  }

  private put(kind: string, want: KubeObject): KubeObject {
    const store = this.cluster.store;
    const current = store.get(kind, ODA_NAMESPACE, want.metadata.name);
    if (!current) return store.create(kind, want);
    const same = (a: KubeObject) => JSON.stringify([a.spec, a.status, a.metadata.labels, a.metadata.ownerReferences]);
    if (same(current) === same(want)) return current;
    const specChanged = JSON.stringify(current.spec) !== JSON.stringify(want.spec);
    return store.update(kind, { ...want, metadata: { ...current.metadata, labels: want.metadata.labels, ownerReferences: want.metadata.ownerReferences, resourceVersion: undefined } }, { bumpGeneration: specChanged });
  }

  /** Component deleted; the garbage collector then deletes the children, or orphans them first. */
  delete(orphan: boolean): void {
    const store = this.cluster.store;
    const children: [string, string][] = [
      ...this.d.apis.filter((i) => i.exists).map((i): [string, string] => [K.odaExposedApis, i.meta.name]),
      ...this.d.dependents.filter((dep) => dep.exists).map((dep): [string, string] => [K.odaDependentApis, dep.meta.name]),
    ];
    if (orphan) {
      for (const [kind, name] of children) {
        store.mutate(kind, ODA_NAMESPACE, name, (o) => {
          delete o.metadata.ownerReferences;
          return o;
        });
      }
    }
    store.delete(K.odaComponents, ODA_NAMESPACE, this.d.meta.name);
    if (!orphan) for (const [kind, name] of children) store.delete(kind, ODA_NAMESPACE, name);
  }
}

/** A v5 specification of the API (own path `…/v5`), as an upgraded chart declares it. */
function v5Instance(d: OdaDeployment, of: OdaApiInstance): OdaApiInstance {
  const spec = { url: of.spec!.url.replace(/-v\d+\.\d+\.\d+\.swagger\.json$/, '-v5.0.0.oas.yaml'), version: '5.0.0' };
  return {
    api: of.api,
    spec,
    path: of.path.replace(/\/v\d+$/, '/v5'),
    meta: { name: exposedApiName(d.layout, d.meta.name, of.api, spec), namespace: ODA_NAMESPACE },
    routeUid: randomUUID(),
    exists: true,
    published: false,
    ready: false,
  };
}

export const odaDeploy: ScenarioDefinition = {
  name: 'oda-deploy',
  description:
    'Install an ODA Component: deployment_status In-Progress-CompCon (APIs ready one by one) → In-Progress-IDConfOp → In-Progress-SecretMan → In-Progress-DepApi (dependent APIs resolve) → Complete; then upgrade (version change) and delete.',
  params: [
    'cluster? (default the first hub)',
    `component? (${ODA_CATALOGUE.map((d) => d.name).join(' | ')}; default ${DEFAULT_COMPONENT})`,
    'release? (default the first free r2, r3 …)',
    `until? (${UNTIL.join(' | ')}; default deleted)`,
    'orphan? (delete with --cascade=orphan: the ExposedAPIs/DependentAPIs stay, without ownerReferences; default false)',
    'upgradeTo? (default the next minor version)',
    'timeScale?',
  ],
  start(ctx, params) {
    timeScaleOf(params);
    const clusterName = optionalString(params, 'cluster');
    const cluster = clusterName ? ctx.runtime.clusters.get(clusterName) : [...ctx.runtime.clusters.values()].find((c) => c.spec.role === 'hub');
    if (!cluster) throw new ParamError(clusterName ? `unknown cluster "${clusterName}"` : 'no hub cluster in the fleet; give "cluster"');
    const layout = layoutOf(cluster);
    const def = odaCatalogueEntry(optionalString(params, 'component') ?? DEFAULT_COMPONENT);
    if (!def) throw new ParamError(`"component" must be one of ${ODA_CATALOGUE.map((d) => d.name).join(', ')}`);
    const until = (optionalString(params, 'until') ?? 'deleted') as Until;
    if (!UNTIL.includes(until)) throw new ParamError(`"until" must be one of ${UNTIL.join(', ')}`);
    const orphan = optionalBoolean(params, 'orphan', false);
    const store = cluster.store;
    let release = optionalString(params, 'release');
    if (release !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(release)) throw new ParamError('"release" must be a DNS label, e.g. r2');
    for (let i = 2; release === undefined; i++) if (!store.get(K.odaComponents, ODA_NAMESPACE, odaComponentName(`r${i}`, def))) release = `r${i}`;
    const name = odaComponentName(release, def);
    if (store.get(K.odaComponents, ODA_NAMESPACE, name)) throw new ParamError(`Component "${name}" already exists in ${cluster.name}/${ODA_NAMESPACE}`);
    if (!store.get(K.namespaces, undefined, ODA_NAMESPACE)) throw new ParamError(`cluster "${cluster.name}" has no "${ODA_NAMESPACE}" namespace (no ODA Canvas?)`);
    const upgradeTo = optionalString(params, 'upgradeTo') ?? nextMinor(def.version);

    const d = newOdaDeployment({ def, release, layout, env: odaEnvironment(cluster.name), meta: (n) => ({ name: n, namespace: ODA_NAMESPACE }), uid: randomUUID });
    const writer = new DeploymentWriter(cluster, d);
    // helm install: the Component without status
    d.meta = { ...d.meta, ...store.create(K.odaComponents, odaComponentObject(d)).metadata };

    let t = 1;
    const step = (change: () => void, gap = ODA_STEP_SECONDS) => {
      ctx.after(t, () => {
        change();
        writer.sync();
      });
      t += gap;
    };
    step(() => startOperator(d));
    step(() => d.apis.forEach((i) => (i.published = true)));
    for (const i of d.apis) step(() => (i.ready = true));
    step(() => (d.identityProvider = 'Keycloak'));
    if (d.secrets) step(() => (d.secrets!.ready = true));
    for (const dep of d.dependents) step(() => void resolveDependents(d, store.list(K.odaExposedApis), randomUUID, dep));
    if (until === 'complete') return;

    t += ODA_STEP_SECONDS;
    const first = d.apis.find((i) => i.api.segment === 'coreFunction' && i.spec);
    const v5 = layout === 'v1' && first ? v5Instance(d, first) : undefined;
    step(() => {
      d.version = upgradeTo;
      if (v5) d.apis.splice(d.apis.indexOf(first!) + 1, 0, v5);
    });
    if (v5) {
      step(() => (v5.published = true));
      step(() => (v5.ready = true));
    }
    if (until === 'upgraded') return;

    t += ODA_STEP_SECONDS;
    ctx.after(t, () => writer.delete(orphan));
  },
};
