// ClusterRegistry: one KubeConfig per context with only its own credentials, fleet-file labels and
// settings, label filters, environment resolution, and clusters joining/leaving at run time.
import { readSubgraphConfig } from '../../lib/config.js';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ClusterAuth } from '../../subgraphs/kube/auth.js';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { domainSettings, parseFleetFile } from '../../subgraphs/kube/fleet-file.js';
import { ClusterRegistry, type RegistryChange } from '../../subgraphs/kube/registry.js';

interface Ctx {
  name: string;
  server: string;
  token?: string;
  insecure?: boolean;
}

function kubeconfig(contexts: Ctx[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contexts[0]?.name,
    clusters: contexts.map((c) => ({
      name: `${c.name}-cluster`,
      cluster: c.insecure
        ? { server: c.server, 'insecure-skip-tls-verify': true }
        : { server: c.server, 'certificate-authority-data': Buffer.from(`CA of ${c.name}`).toString('base64') },
    })),
    users: contexts.map((c) => ({ name: `${c.name}-user`, user: { token: c.token ?? `token-${c.name}` } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: `${c.name}-cluster`, user: `${c.name}-user` } })),
  });
}

const THREE: Ctx[] = [
  { name: 'hub-1', server: 'https://127.0.0.1:6443/clusters/hub-1' },
  { name: 'edge-0001', server: 'https://admin:s3cret@edge-0001.example:6443' },
  { name: 'edge-0002', server: 'https://edge-0002.example:6443', insecure: true },
];

const FLEET = stringify({
  defaults: { deadlineMs: 4000, labels: { operator: 'acme' } },
  concurrency: 6,
  clusters: [
    { name: 'hub-1', labels: { role: 'hub', region: 'eu-west' }, prometheusUrl: 'https://prom.hub-1.example' },
    { name: 'edge-0001', labels: { role: 'edge', region: 'eu-west', site: 'du-0001' }, deadlineMs: 2500, concurrency: 2 },
    { name: 'edge-0002', labels: { role: 'edge', region: 'us-east', site: 'du-0002' } },
    { name: 'not-in-kubeconfig', labels: { role: 'edge' } },
  ],
});

let dir: string;
let kubeconfigPath: string;
let fleetPath: string;
const opened: ClusterRegistry[] = [];

function open(options: ConstructorParameters<typeof ClusterRegistry>[0]): ClusterRegistry {
  const registry = new ClusterRegistry(options);
  opened.push(registry);
  return registry;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kube-registry-'));
  kubeconfigPath = join(dir, 'kubeconfig');
  fleetPath = join(dir, 'fleet.yaml');
  writeFileSync(kubeconfigPath, kubeconfig(THREE));
  writeFileSync(fleetPath, FLEET);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('ClusterRegistry from a kubeconfig and a fleet file', () => {
  test('one cluster per context, named after it, sorted', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    expect(registry.names()).toEqual(['edge-0001', 'edge-0002', 'hub-1']);
    expect(registry.size).toBe(3);
    expect(registry.has('not-in-kubeconfig')).toBe(false);
  });

  test("each cluster's KubeConfig holds only its own context, cluster and user", () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath] });
    for (const entry of registry.list()) {
      const kc = entry.kubeConfig;
      expect(kc.getContexts().map((c) => c.name)).toEqual([entry.name]);
      expect(kc.getCurrentContext()).toBe(entry.name);
      expect(kc.getClusters().map((c) => c.name)).toEqual([`${entry.name}-cluster`]);
      expect(kc.getUsers().map((u) => u.name)).toEqual([`${entry.name}-user`]);
      expect(kc.getCurrentUser()?.token).toBe(`token-${entry.name}`);
    }
  });

  test('request headers carry that cluster’s own token; TLS verified unless the kubeconfig says otherwise', async () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath] });
    const hub = await new ClusterAuth(registry.require('hub-1').kubeConfig).material();
    expect(hub.headers.authorization).toBe('Bearer token-hub-1');
    expect(hub.tls.rejectUnauthorized).toBe(true);
    expect(Buffer.from(hub.tls.ca!).toString()).toBe('CA of hub-1');
    const edge2 = await new ClusterAuth(registry.require('edge-0002').kubeConfig).material();
    expect(edge2.headers.authorization).toBe('Bearer token-edge-0002');
    expect(edge2.tls.rejectUnauthorized).toBe(false);
    expect(registry.require('edge-0002').insecureSkipTlsVerify).toBe(true);
  });

  test('server URLs never carry credentials', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath] });
    expect(registry.require('edge-0001').server).toBe('https://edge-0001.example:6443');
    expect(registry.require('hub-1').server).toBe('https://127.0.0.1:6443/clusters/hub-1');
  });

  test('labels, Prometheus URL, deadline and concurrency: cluster entry > fleet defaults > built-in', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    const hub = registry.require('hub-1');
    expect(hub.labels).toEqual({ operator: 'acme', role: 'hub', region: 'eu-west' });
    expect(hub.prometheusUrl).toBe('https://prom.hub-1.example');
    expect(hub).toMatchObject({ deadlineMs: 4000, concurrency: 6 });
    expect(registry.require('edge-0001')).toMatchObject({ deadlineMs: 2500, concurrency: 2 });
    const bare = open({ kubeconfigPaths: [kubeconfigPath] });
    expect(bare.require('edge-0001')).toMatchObject({ deadlineMs: 5000, concurrency: 8, labels: {} });
  });

  test('label filters select clusters as Kubernetes selectors do', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    const names = (labels: Parameters<ClusterRegistry['list']>[0]) => registry.list(labels).map((c) => c.name);
    expect(names({ labels: [{ key: 'role', value: 'edge' }] })).toEqual(['edge-0001', 'edge-0002']);
    expect(names({ labels: [{ key: 'role', value: 'edge' }, { key: 'region', value: 'us-east' }] })).toEqual(['edge-0002']);
    expect(names({ labels: [{ key: 'role', op: 'NOT_EQUALS', value: 'edge' }] })).toEqual(['hub-1']);
    expect(names({ labels: [{ key: 'site', op: 'EXISTS' }] })).toEqual(['edge-0001', 'edge-0002']);
    expect(names({ labels: [{ key: 'site', op: 'DOES_NOT_EXIST' }] })).toEqual(['hub-1']);
    expect(names({ labels: [{ key: 'region', op: 'IN', values: ['us-east', 'ap-south'] }] })).toEqual(['edge-0002']);
    expect(names({ labels: [{ key: 'region', op: 'NOT_IN', values: ['eu-west'] }] })).toEqual(['edge-0002']);
    expect(names({})).toHaveLength(3);
  });

  test('a chosen set of contexts; an unknown one is an error', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath], contexts: ['hub-1', 'edge-0002'] });
    expect(registry.names()).toEqual(['edge-0002', 'hub-1']);
    expect(() => open({ kubeconfigPaths: [kubeconfigPath], contexts: ['nope'] })).toThrow(/no context named nope/);
  });

  test('an unknown cluster is a NOT_FOUND ClusterError', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath] });
    expect(registry.get('nope')).toBeUndefined();
    let error: unknown;
    try {
      registry.client('nope');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as ClusterError).extensions).toEqual({ code: 'NOT_FOUND', cluster: 'nope' });
  });

  test('one client per cluster, reused', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    const client = registry.client('edge-0001');
    expect(registry.client('edge-0001')).toBe(client);
    expect(client).toMatchObject({ name: 'edge-0001', deadlineMs: 2500, concurrency: 2 });
    expect(registry.client('hub-1')).not.toBe(client);
  });

  test('a malformed fleet file is reported with its path', () => {
    writeFileSync(fleetPath, 'clusters: [{labels: {a: b}}]');
    expect(() => open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath })).toThrow(/fleet\.yaml: clusters\[0\] needs a name/);
  });
});

describe('per-domain settings in the fleet file', () => {
  const SETTINGS = stringify({
    defaults: { labels: { operator: 'acme' }, settings: { ovs: { cpuAlertPercent: 80, bridges: ['br-int'], thresholds: { memMiB: 512, flows: 100000 } }, cni: { eventsSince: '1h' } } },
    groups: [
      { labels: [{ key: 'role', value: 'edge' }], settings: { ovs: { cpuAlertPercent: 90, thresholds: { memMiB: 256 } } } },
      { labels: [{ key: 'region', op: 'IN', values: ['us-east'] }], settings: { ovs: { bridges: ['br-ex', 'br-int'] } } },
      { labels: [{ key: 'operator', op: 'NOT_EQUALS', value: 'acme' }], settings: { ovs: { cpuAlertPercent: 1 } } },
    ],
    clusters: [
      { name: 'hub-1', labels: { role: 'hub' } },
      { name: 'edge-0001', labels: { role: 'edge', region: 'eu-west' }, settings: { ovs: { thresholds: { flows: null }, extra: { a: 1 } }, cni: null } },
      { name: 'edge-0002', labels: { role: 'edge', region: 'us-east' } },
    ],
  });

  test('defaults → matching label groups (in order) → cluster, deep-merged; lists replaced; null removes', () => {
    writeFileSync(fleetPath, SETTINGS);
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    expect(registry.require('hub-1').settings).toEqual({
      ovs: { cpuAlertPercent: 80, bridges: ['br-int'], thresholds: { memMiB: 512, flows: 100000 } },
      cni: { eventsSince: '1h' },
    });
    expect(registry.require('edge-0001').settings).toEqual({
      ovs: { cpuAlertPercent: 90, bridges: ['br-int'], thresholds: { memMiB: 256 }, extra: { a: 1 } },
    });
    expect(domainSettings(registry.require('edge-0002'), 'ovs')).toEqual({ cpuAlertPercent: 90, bridges: ['br-ex', 'br-int'], thresholds: { memMiB: 256, flows: 100000 } });
    expect(domainSettings(registry.require('edge-0001'), 'cni')).toEqual({});
    expect(Object.isFrozen((registry.require('hub-1').settings.ovs as { thresholds: object }).thresholds)).toBe(true);
  });

  test('a change of a cluster’s settings is an update of that cluster', () => {
    writeFileSync(fleetPath, SETTINGS);
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    writeFileSync(fleetPath, SETTINGS.replace('cpuAlertPercent: 90', 'cpuAlertPercent: 95'));
    expect(registry.reload()).toEqual({ added: [], removed: [], updated: ['edge-0001', 'edge-0002'] });
    expect(domainSettings(registry.require('edge-0001'), 'ovs').cpuAlertPercent).toBe(95);
  });

  test.each([
    ['settings: [ovs]', /settings must be a map of domain name/],
    ['defaults: {settings: {ovs: 3}}', /defaults\.settings\.ovs must be a map/],
    ['clusters: [{name: a, settings: {ovs: [1]}}]', /clusters\[0\]\.settings\.ovs must be a map/],
    ['groups: {labels: []}', /groups must be a list/],
    ['groups: [{settings: {ovs: {}}}]', /groups\[0\]\.labels must be a non-empty list/],
    ['groups: [{labels: [{value: edge}]}]', /groups\[0\]\.labels\[0\] needs a key/],
    ['groups: [{labels: [{key: role, op: LIKE, value: e}]}]', /groups\[0\]\.labels\[0\]\.op must be one of/],
    ['groups: [{labels: [{key: role, op: IN}]}]', /groups\[0\]\.labels\[0\]: label filter on "role": IN needs values/],
  ])('refuses %s with a message naming the place', (text, message) => {
    expect(() => parseFleetFile(text, 'fleet.yaml')).toThrow(message);
  });
});

describe('the registry of a subgraph process, from its config (lib/config.ts)', () => {
  const fromConfig = (argv: string[], env: Record<string, string>) => {
    const { fleet } = readSubgraphConfig(argv, env);
    return new ClusterRegistry({ kubeconfigPaths: fleet.kubeconfigPaths, fleetFilePath: fleet.fleetFilePath, contexts: fleet.contexts });
  };

  test('KUBECONFIG with several files (first definition wins) and FLEET_FILE', () => {
    const second = join(dir, 'second');
    writeFileSync(second, kubeconfig([{ name: 'hub-1', server: 'https://other', token: 'other' }, { name: 'regional-1', server: 'https://r1' }]));
    const registry = fromConfig([], { KUBECONFIG: `${kubeconfigPath}:${second}`, FLEET_FILE: fleetPath });
    opened.push(registry);
    expect(registry.names()).toEqual(['edge-0001', 'edge-0002', 'hub-1', 'regional-1']);
    expect(registry.require('hub-1').server).toBe('https://127.0.0.1:6443/clusters/hub-1');
    expect(registry.require('hub-1').kubeConfig.getCurrentUser()?.token).toBe('token-hub-1');
    expect(registry.require('hub-1').labels.role).toBe('hub');
  });

  test('--kubeconfig, --fleet-file and --context flags win over the environment', () => {
    const registry = fromConfig(['--kubeconfig', kubeconfigPath, `--fleet-file=${fleetPath}`, '--context', 'edge-0001,hub-1'], { KUBECONFIG: '/nonexistent' });
    opened.push(registry);
    expect(registry.names()).toEqual(['edge-0001', 'hub-1']);
    expect(registry.require('edge-0001').labels.site).toBe('du-0001');
  });
});

describe('clusters joining and leaving at run time', () => {
  test('reload() reports added, updated (new token) and removed clusters, and replaces the client', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    const changes: RegistryChange[] = [];
    registry.on('change', (c) => changes.push(c));
    const oldClient = registry.client('edge-0001');
    writeFileSync(
      kubeconfigPath,
      kubeconfig([THREE[0], { ...THREE[1], token: 'rotated' }, { name: 'edge-0003', server: 'https://edge-0003.example:6443' }]),
    );
    const change = registry.reload();
    expect(change).toEqual({ added: ['edge-0003'], removed: ['edge-0002'], updated: ['edge-0001'] });
    expect(changes).toEqual([change]);
    expect(registry.names()).toEqual(['edge-0001', 'edge-0003', 'hub-1']);
    expect(registry.client('edge-0001')).not.toBe(oldClient);
    expect(registry.require('edge-0001').kubeConfig.getCurrentUser()?.token).toBe('rotated');
    // Nothing changed: no event.
    registry.reload();
    expect(changes).toHaveLength(1);
  });

  test('a broken file on reload keeps the previous fleet', () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath] });
    writeFileSync(kubeconfigPath, 'contexts: [{name: x, context: {cluster: missing, user: u}}]');
    expect(() => registry.reload()).toThrow(/not defined/);
    expect(registry.lastReloadError).toBeDefined();
    expect(registry.size).toBe(3);
  });

  test('watchFiles() picks up a kubeconfig replaced by rename (as the simulator rewrites it)', async () => {
    const registry = open({ kubeconfigPaths: [kubeconfigPath], fleetFilePath: fleetPath });
    const changed = new Promise<RegistryChange>((resolve) => registry.on('change', resolve));
    const stop = registry.watchFiles({ debounceMs: 20 });
    const tmp = join(dir, 'kubeconfig.tmp');
    writeFileSync(tmp, kubeconfig([...THREE, { name: 'edge-0100', server: 'https://edge-0100.example:6443' }]));
    renameSync(tmp, kubeconfigPath);
    await expect(changed).resolves.toEqual({ added: ['edge-0100'], removed: [], updated: [] });
    stop();
  });
});
