// startSimulator(): the whole simulated fleet in one call. Generates (or takes) the cluster specs,
// fills one object store per cluster, makes the certificates, starts the HTTPS API server and the
// control API, and writes the kubeconfig and fleet file. Used by cli.ts, `npm start` and the tests.
import { join, resolve } from 'node:path';
import type { SimCluster, SimulatorRuntime } from './cluster.js';
import { DEMO_FLEET, type FleetOptions, type SimClusterSpec } from './fleet/model.js';
import { generateFleet } from './fleet/generate.js';
import { startProvisioningOperator, type ProvisioningOperatorOptions } from './scenarios/index.js';
import { generateCertificates } from './certs.js';
import { describeTokens } from './api/auth.js';
import { startApiServer } from './api/server.js';
import { createServedCluster, type ServedCluster } from './api/served-cluster.js';
import { WatchHub } from './api/watch.js';
import { startControlServer } from './control/server.js';
import { writeFleetFile, writeKubeconfig } from './kubeconfig.js';
import { dropPtpEvents } from './exporters/ptp-events.js';
import type { KubeObject } from './types.js';

export interface SimulatorOptions {
  /** API server port: default 6443, 0 = random. */
  port?: number;
  /** Control API port: default 6480, 0 = random. */
  controlPort?: number;
  /** Listen address of both servers; loopback by default. */
  host?: string;
  /**
   * The host name clients reach the API server by, written into the kubeconfig and the server
   * certificate (default: `host`, or 127.0.0.1 when listening on every address, e.g. 0.0.0.0).
   */
  publicHost?: string;
  /** Where the kubeconfig and fleet file are written (default `.fleetgraph/sim`). */
  dir?: string;
  /** Fleet generator options (merged over DEMO_FLEET). */
  fleet?: Partial<FleetOptions>;
  /** Cluster specs to serve instead of generating a fleet (tests). */
  specs?: SimClusterSpec[];
  /** BOOKMARK interval for watches that allow them (default 60 s, like kube-apiserver). */
  bookmarkIntervalMs?: number;
  /** Change events kept per cluster for watch resumption (default 1000); older RVs get 410. */
  historySize?: number;
  /**
   * Drive ProvisioningRequests that clients create on a hub through their lifecycle (progressing →
   * fulfilled, adding the new cluster) and those they delete through the teardown (removing it), as
   * the hub's o2ims operator would. Default false (tests create requests and expect them to stay as
   * created); the CLI turns it on. An object sets the operator's timeScale.
   */
  provisioningOperator?: boolean | ProvisioningOperatorOptions;
  /** Log lines (JSON); default: none. */
  log?: (line: Record<string, unknown>) => void;
}

export interface Simulator extends SimulatorRuntime {
  readonly clusters: ReadonlyMap<string, ServedCluster>;
  addCluster(spec: SimClusterSpec): Promise<ServedCluster>;
  removeCluster(name: string): Promise<void>;
  /** `https://127.0.0.1:<port>` (each cluster below `/clusters/<name>`). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<controlPort>` */
  readonly controlUrl: string;
  readonly kubeconfigPath: string;
  readonly fleetFilePath: string;
  readonly caPem: string;
  /** The server URL of one cluster, as written in the kubeconfig. */
  serverUrl(name: string): string;
  /** The admin and scoped tokens of one cluster (the control API serves the same at /clusters/<name>/tokens). */
  tokens(name: string): ReturnType<typeof describeTokens>;
  /** Closes both servers and every open watch, and frees the ports. */
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const dir = resolve(options.dir ?? '.fleetgraph/sim');
  const log = options.log ?? (() => {});
  const specs = options.specs ?? generateFleet({ ...DEMO_FLEET, ...options.fleet });

  const clusters = new Map<string, ServedCluster>();
  const byToken = new Map<string, ServedCluster>();
  const unknownKinds = new Map<string, number>();
  const onUnknownKind = (_cluster: string, obj: KubeObject): void => {
    const key = `${obj.apiVersion} ${obj.kind}`;
    unknownKinds.set(key, (unknownKinds.get(key) ?? 0) + 1);
  };
  const serve = (spec: SimClusterSpec): ServedCluster => {
    if (clusters.has(spec.name)) throw new Error(`cluster "${spec.name}" already exists`);
    const cluster = createServedCluster(spec, { historySize: options.historySize, onUnknownKind });
    clusters.set(spec.name, cluster);
    byToken.set(cluster.token, cluster);
    byToken.set(cluster.scopedToken, cluster);
    byToken.set(cluster.noGrantsToken, cluster);
    return cluster;
  };
  for (const spec of specs) serve(spec);
  if (unknownKinds.size) log({ msg: 'simulator: skipped objects of kinds the API server does not serve', kinds: Object.fromEntries(unknownKinds) });

  const wildcard = host === '0.0.0.0' || host === '::';
  const publicHost = options.publicHost ?? (wildcard ? '127.0.0.1' : host);
  const certs = await generateCertificates([publicHost, ...(wildcard || host === publicHost ? [] : [host])].filter((h) => !['127.0.0.1', 'localhost', '::1'].includes(h)));
  const watches = new WatchHub(options.bookmarkIntervalMs ?? 60_000);
  const api = await startApiServer({
    host,
    port: options.port ?? 6443,
    certPem: certs.certPem,
    keyPem: certs.keyPem,
    clusters,
    clusterByToken: (token) => byToken.get(token),
    watches,
  });
  const urlHost = publicHost.includes(':') ? `[${publicHost}]` : publicHost;
  const apiUrl = `https://${urlHost}:${api.port}`;
  const serverUrl = (name: string): string => `${apiUrl}/clusters/${encodeURIComponent(name)}`;

  const kubeconfigPath = join(dir, 'kubeconfig');
  const fleetFilePath = join(dir, 'fleet.yaml');
  // writes are chained so two addCluster calls never interleave their file writes
  let writing: Promise<void> = Promise.resolve();
  const writeFiles = (): Promise<void> => {
    const all = [...clusters.values()];
    writing = writing
      .catch(() => {})
      .then(async () => {
        await writeKubeconfig(kubeconfigPath, certs.caPem, all.map((c) => ({ name: c.name, server: serverUrl(c.name), token: c.token })));
        await writeFleetFile(fleetFilePath, all.map((c) => ({ name: c.name, labels: c.spec.labels })));
      });
    return writing;
  };

  let control: Awaited<ReturnType<typeof startControlServer>> | undefined;
  let stopOperator: (() => void) | undefined;
  const simulator: Simulator = {
    clusters,
    apiUrl,
    controlUrl: '',
    kubeconfigPath,
    fleetFilePath,
    caPem: certs.caPem,
    serverUrl,
    tokens: (name) => {
      const c = clusters.get(name);
      if (!c) throw new Error(`unknown cluster "${name}"`);
      return describeTokens(c);
    },
    now: () => Date.now(),
    async addCluster(spec: SimClusterSpec): Promise<ServedCluster> {
      const cluster = serve(spec);
      await writeFiles();
      log({ msg: 'simulator: cluster added', cluster: spec.name });
      return cluster;
    },
    async removeCluster(name: string): Promise<void> {
      const cluster = clusters.get(name);
      if (!cluster) throw new Error(`unknown cluster "${name}"`);
      clusters.delete(name);
      byToken.delete(cluster.token);
      byToken.delete(cluster.scopedToken);
      // its API prefix now answers 404 and its open watches end, as when a cluster is torn down
      watches.dropCluster(name);
      dropPtpEvents(cluster);
      await writeFiles();
      log({ msg: 'simulator: cluster removed', cluster: name });
    },
    async stop(): Promise<void> {
      stopOperator?.();
      watches.closeAll();
      // ends the PTP event sampler once no simulator has subscriptions, and aborts in-flight pushes
      for (const cluster of clusters.values()) dropPtpEvents(cluster);
      await Promise.all([api.close(), control?.close()]);
      await writing.catch(() => {});
    },
  };

  try {
    control = await startControlServer(
      { runtime: simulator, clusters, watches, connections: api.connections, serverUrl },
      { host, port: options.controlPort ?? 6480 },
    );
    await writeFiles();
  } catch (err) {
    watches.closeAll();
    await Promise.all([api.close(), control?.close()]);
    throw err;
  }
  Object.assign(simulator, { controlUrl: `http://${urlHost}:${control.port}` });
  if (options.provisioningOperator) {
    stopOperator = startProvisioningOperator(simulator, options.provisioningOperator === true ? {} : options.provisioningOperator);
  }
  return simulator;
}

/** A SimCluster seen through the runtime interface is always one of ours. */
export function asServed(cluster: SimCluster): ServedCluster {
  return cluster as ServedCluster;
}
