// Issue 19 acceptance: the Helm chart, rendered by Helm itself, applies cleanly with
// `kubectl apply --dry-run=server` to a real kube-apiserver (../shared/tools/real-apiserver, built by
// .ci/run), and the per-domain ClusterRoles pass a `kubectl auth can-i --as` matrix there: each domain
// can do exactly what its `rbac` (subgraphs/<domain>/domain.ts) lists and nothing else — nothing of
// another domain, no Secrets, no writes except o2ims's ProvisioningRequests.
import { execFile } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { chartDomains, type ChartDomain } from '../../scripts/chart-domains.js';
import { DOMAINS } from '../../subgraphs/domains.js';
import { helmMissing, renderChart, run } from '../helpers/helm.js';
import { realApiserverMissing, startRealApiserver, type RealApiserver } from './real-apiserver/real-server.js';
import { describeIf } from '../helpers/skip.js';
import { waitUntil } from '../helpers/wait.js';

const noHelm = helmMissing();
const describeHelm = describeIf(noHelm, "the Helm chart's render checks");

interface Rendered {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, any>;
}

describeHelm('the Helm chart, rendered by helm', () => {
  it('locks the release down: only the gateway is reachable, pods non-root and read-only, secrets read-only', async () => {
    const docs = parseAllDocuments(await renderChart({ 'fleet.existingSecret': 'fleet', 'auth.existingSecret': 'auth' }))
      .map((d) => d.toJS() as Rendered | null)
      .filter((d): d is Rendered => d !== null);
    const policies = docs.filter((d) => d.kind === 'NetworkPolicy' && /-(?!gateway$|redis$)[a-z0-9]+$/.test(d.metadata.name));
    expect(policies).toHaveLength(DOMAINS.length);
    for (const p of policies) {
      expect(p.spec!.ingress).toHaveLength(1);
      expect(p.spec!.ingress[0].from).toEqual([{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'gateway' }) } }]);
    }
    for (const d of docs.filter((x) => x.kind === 'Deployment')) {
      const pod = d.spec!.template.spec;
      expect({ name: d.metadata.name, automount: pod.automountServiceAccountToken, nonRoot: pod.securityContext.runAsNonRoot }).toEqual({ name: d.metadata.name, automount: false, nonRoot: true });
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(c.resources.requests).toBeDefined();
        if (d.metadata.name.endsWith('-redis')) continue;
        expect(c.livenessProbe.httpGet.path).toBe('/healthz');
        expect(c.readinessProbe.httpGet.path).toBe('/readyz');
        for (const m of c.volumeMounts.filter((v: { name: string }) => ['fleet', 'auth'].includes(v.name))) expect(m.readOnly).toBe(true);
      }
    }
    const gateway = docs.find((d) => d.kind === 'Deployment' && d.metadata.name.endsWith('-gateway'))!;
    const env = gateway.spec!.template.spec.containers[0].env as { name: string; value: string }[];
    for (const d of DOMAINS) expect(env).toContainEqual({ name: `SUBGRAPH_${d.name.toUpperCase()}_URL`, value: `http://fleetgraph-${d.name}:${d.port}/graphql` });
  });

  it('lets the managed clusters post PTP events to timing only when asked to, and to no other subgraph', async () => {
    const docs = parseAllDocuments(
      await renderChart({
        'fleet.existingSecret': 'fleet',
        'auth.existingSecret': 'auth',
        'subgraphs.overrides.timing.env.CALLBACK_BASE_URL': 'https://timing.fleet.example',
        'networkPolicy.callbacksFrom[0].ipBlock.cidr': '10.128.0.0/14',
      }),
    )
      .map((d) => d.toJS() as Rendered | null)
      .filter((d): d is Rendered => d !== null);
    const policy = (name: string) => docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === `fleetgraph-${name}`)!;
    expect(policy('timing').spec!.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '10.128.0.0/14' } }], ports: [{ port: 4002, protocol: 'TCP' }] });
    for (const d of DOMAINS.filter((x) => x.name !== 'timing')) expect(policy(d.name).spec!.ingress).toHaveLength(1);
    const timing = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'fleetgraph-timing')!;
    const env = timing.spec!.template.spec.containers[0].env as { name: string; value?: string }[];
    // Two replicas share the callback URL: the relay over the release's Redis passes events between them.
    expect(env).toEqual(expect.arrayContaining([{ name: 'CALLBACK_BASE_URL', value: 'https://timing.fleet.example' }, expect.objectContaining({ name: 'REDIS_URL' })]));
  });
});

const missing = noHelm ?? realApiserverMissing();
const describeReal = describeIf(missing, 'the Helm chart suite on a real kube-apiserver');

interface Check {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  url?: string;
}

const key = (c: Check) => (c.url ? `${c.verb} ${c.url}` : `${c.verb} ${c.group}/${c.resource}${c.subresource ? `/${c.subresource}` : ''}`);

function granted(domain: ChartDomain): Check[] {
  return domain.rbac.flatMap((rule): Check[] =>
    rule.nonResourceURLs
      ? rule.nonResourceURLs.flatMap((url) => rule.verbs.map((verb): Check => ({ verb, group: '', resource: '', url })))
      : (rule.apiGroups ?? ['']).flatMap((group) =>
          (rule.resources ?? []).flatMap((r) => {
            const [resource, subresource] = r.split('/');
            return rule.verbs.map((verb): Check => ({ verb, group, resource, subresource }));
          }),
        ),
  );
}

/** Kubernetes' default system:discovery role lets every authenticated user read these. */
const discovery = (url: string) => url === '/version' || /^\/apis?(\/|$)/.test(url);

/** What no domain may do unless its own rules say so. */
const SENSITIVE: Check[] = [
  { verb: 'get', group: '', resource: 'secrets' },
  { verb: 'list', group: '', resource: 'secrets' },
  { verb: 'list', group: '', resource: 'configmaps' },
  { verb: 'create', group: '', resource: 'pods' },
  { verb: 'delete', group: '', resource: 'pods' },
  { verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
  { verb: 'patch', group: '', resource: 'nodes' },
  { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token' },
  { verb: 'create', group: 'o2ims.provisioning.oran.org', resource: 'provisioningrequests' },
  { verb: 'delete', group: 'o2ims.provisioning.oran.org', resource: 'provisioningrequests' },
  { verb: 'patch', group: 'ptp.openshift.io', resource: 'ptpconfigs' },
  { verb: 'delete', group: 'sriovnetwork.openshift.io', resource: 'sriovnetworknodepolicies' },
  { verb: 'get', group: '', resource: 'nodes', subresource: 'proxy' },
  { verb: 'get', group: '', resource: '', url: '/metrics' },
];

describeReal('the Helm chart on a real kube-apiserver', () => {
  let api: RealApiserver;
  let kubeconfig: string;
  let domains: ChartDomain[];
  const kubectl = (args: string[], input?: string) => run('kubectl', ['--kubeconfig', kubeconfig, ...args], input);

  beforeAll(async () => {
    api = await startRealApiserver();
    kubeconfig = api.kubeconfigPath;
    domains = await chartDomains(DOMAINS);
    // prometheus-operator's ServiceMonitor kind, as a cluster with the operator serves it, and the
    // operators' kinds the domains read (PTP, SR-IOV, ODA, O2IMS …), so kubectl resolves their names.
    await kubectl(['apply', '-f', '-'], SERVICE_MONITOR_CRD);
    const served = new Set((await kubectl(['api-resources', '-o', 'name'])).split('\n'));
    const crds = new Set<string>();
    for (const c of [...domains.flatMap(granted), ...SENSITIVE]) if (c.group && !served.has(`${c.resource}.${c.group}`)) crds.add(`${c.resource}.${c.group}`);
    if (crds.size) await kubectl(['apply', '-f', '-'], [...crds].map(crdFor).join('---\n'));
    // kubectl wait fails at once on a CRD whose status has no conditions yet (just created, the
    // apiextensions controller has not written them): ask again until they exist.
    await waitUntil('the CRDs to be Established', async () => (await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']), true), 90_000, 500);
    await kubectl(['create', 'namespace', 'fleetgraph']);
  }, 180_000);
  afterAll(async () => {
    await api?.close();
  });

  it('applies cleanly with --dry-run=server, every part of the release', async () => {
    const apiVersions = (await kubectl(['api-versions'])).split('\n').filter(Boolean);
    const manifest = await renderChart(
      {
        'fleet.kubeconfig': 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
        'fleet.fleetFile': 'clusters: []\n',
        'auth.policy': 'grants: []\n',
        'auth.files.issuers\\.yaml': 'issuers: []\n',
        'serviceMonitor.enabled': 'true',
        'otel.endpoint': 'http://otel-collector:4318',
      },
      { apiVersions, kubeVersion: '1.20.2' },
    );
    const kinds = parseAllDocuments(manifest).map((d) => d.toJS() as { kind: string; metadata: { name: string } } | null).filter((d) => d !== null);
    const names = (kind: string) => kinds.filter((d) => d.kind === kind).map((d) => d.metadata.name).sort();
    const perDomain = (suffixes: string[]) => [...domains.map((d) => `fleetgraph-${d.name}`), ...suffixes.map((s) => `fleetgraph-${s}`)].sort();
    expect(names('Deployment')).toEqual(perDomain(['gateway', 'redis']));
    expect(names('Service')).toEqual(perDomain(['gateway', 'redis']));
    expect(names('PodDisruptionBudget')).toEqual(perDomain(['gateway']));
    expect(names('NetworkPolicy')).toEqual(perDomain(['gateway', 'redis']));
    expect(names('ServiceMonitor')).toEqual(['fleetgraph']);
    expect(names('Secret')).toEqual(['fleetgraph-auth', 'fleetgraph-fleet', 'fleetgraph-principal']);
    // Every fleetgraph process reads the one principal signing key; the gateway its access policy.
    for (const d of kinds.filter((x) => x.kind === 'Deployment' && !x.metadata.name.endsWith('-redis')) as unknown as Rendered[]) {
      const env = d.spec!.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
      expect(env.find((e) => e.name === 'PRINCIPAL_SIGNING_KEY')).toEqual({ name: 'PRINCIPAL_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'fleetgraph-principal', key: 'signing-key' } } });
      if (d.metadata.name === 'fleetgraph-gateway') expect(env.find((e) => e.name === 'POLICY_FILE')).toEqual({ name: 'POLICY_FILE', value: '/etc/fleetgraph/auth/policy.yaml' });
    }
    // 1.20 serves PodDisruptionBudget only as policy/v1beta1: the chart asked the cluster's API versions.
    expect(kinds.find((d) => d.kind === 'PodDisruptionBudget')).toMatchObject({ apiVersion: 'policy/v1beta1' });

    const out = await kubectl(['apply', '--dry-run=server', '-n', 'fleetgraph', '-f', '-'], manifest);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(kinds.length);
    for (const line of lines) expect(line).toMatch(/ (created|configured) \(server dry run\)$/);
  }, 120_000);

  it('gives each domain exactly its ClusterRole: what it reads and nothing it does not', async () => {
    // Opt-in features on, so every rule of every domain is rendered (the default leaves theirs out: test/unit/helm-chart.test.ts).
    const rbac = await renderChart({ 'managedClusterRbac.enabled': 'true', 'managedClusterRbac.features.ptpEventPush': 'true' }, { showOnly: 'templates/managed-cluster-rbac.yaml' });
    await kubectl(['apply', '-f', '-'], rbac);
    for (const d of domains) await kubectl(['create', 'clusterrolebinding', `probe-${d.name}`, `--clusterrole=fleetgraph-${d.name}`, `--user=probe-${d.name}`]);

    const everyCheck = new Map<string, Check>();
    for (const c of [...domains.flatMap(granted), ...SENSITIVE]) everyCheck.set(key(c), c);
    const expected: string[] = [];
    const actual: string[] = [];
    const queue = domains.flatMap((d) => [...everyCheck.values()].map((c) => ({ d, c })));
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { d, c } = job;
        const allowed = granted(d).some((g) => key(g) === key(c)) || (c.url !== undefined && c.verb === 'get' && discovery(c.url));
        const args = c.url
          ? ['auth', 'can-i', c.verb, c.url, `--as=probe-${d.name}`]
          : ['auth', 'can-i', c.verb, c.group ? `${c.resource}.${c.group}` : c.resource, `--as=probe-${d.name}`, '--all-namespaces', ...(c.subresource ? [`--subresource=${c.subresource}`] : [])];
        // can-i exits 1 for "no": the answer is its last line on stdout either way.
        const answer = await canI(['--kubeconfig', kubeconfig, ...args]);
        expected.push(`${d.name}: ${key(c)} → ${allowed ? 'yes' : 'no'}`);
        actual.push(`${d.name}: ${key(c)} → ${answer}`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(actual.sort()).toEqual(expected.sort());
    // Writes to ProvisioningRequests are o2ims's alone.
    for (const line of actual.filter((l) => /^(?!o2ims:).*(create|delete) o2ims/.test(l))) expect(line).toMatch(/→ no$/);
    if (domains.some((d) => d.name === 'o2ims')) {
      expect(actual).toContain('o2ims: create o2ims.provisioning.oran.org/provisioningrequests → yes');
      expect(actual).toContain('o2ims: delete o2ims.provisioning.oran.org/provisioningrequests → yes');
    }
    // ~520 kubectl runs: ~80 s on an idle 2-core machine, more under the whole suite.
  }, 600_000);
});

/** A schemaless CRD serving `plural.group` (what an operator's CRD gives RBAC and kubectl: the name). */
function crdFor(name: string): string {
  const [plural, ...group] = name.split('.');
  const kind = plural.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()).replace(/s$/, '');
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${name}
spec:
  group: ${group.join('.')}
  scope: Namespaced
  names: { plural: ${plural}, singular: ${kind.toLowerCase()}, kind: ${kind}, listKind: ${kind}List }
  versions:
    - { name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }
`;
}

/** `kubectl auth can-i …`: "yes" (exit 0) or "no" (exit 1); anything else fails. */
function canI(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const answer = stdout.trim().split('\n').at(-1) ?? '';
      const code = err ? (err as { code?: number }).code : 0;
      if ((code === 0 && answer === 'yes') || (code === 1 && answer === 'no')) resolve(answer);
      else reject(new Error(`kubectl ${args.join(' ')}: exit ${code}: ${stdout}${stderr}`));
    });
  });
}

const SERVICE_MONITOR_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: servicemonitors.monitoring.coreos.com
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: { plural: servicemonitors, singular: servicemonitor, kind: ServiceMonitor, listKind: ServiceMonitorList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
`;
