// No Docker engine runs here, so compose.yaml / compose.demo.yaml are checked the way `docker compose
// config` would, and against the manifest they are generated from: stale files fail, every service is
// runnable, references resolve, every domain has its service, port, health check and dependencies.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { composeDemoFile, composeFile } from '../../scripts/compose-file.js';
import { DOMAINS } from '../../subgraphs/domains.js';
import { SERVER_NODE_FLAGS } from '../../lib/heap-growth.js';

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[] | string;
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  healthcheck?: { test: string[] };
}

const baseText = readFileSync('compose.yaml', 'utf8');
const demoText = readFileSync('compose.demo.yaml', 'utf8');
const services = (parse(baseText) as { services: Record<string, Service> }).services;
const demo = (parse(demoText) as { services: Record<string, Service> }).services;

describe('compose.yaml', () => {
  it('is what `npm run compose` generates from the manifest', () => {
    expect(baseText).toBe(composeFile(DOMAINS));
    expect(demoText).toBe(composeDemoFile(DOMAINS));
  });

  it('gives every service an image or a build, and entry points that exist', () => {
    for (const [name, service] of Object.entries({ ...services, simulator: demo.simulator })) {
      expect({ name, runnable: Boolean(service.image || service.build) }).toEqual({ name, runnable: true });
      if (service.build) expect(existsSync(typeof service.build === 'string' ? `${service.build}/Dockerfile` : `${service.build.context}/Dockerfile`)).toBe(true);
      const command = Array.isArray(service.command) ? service.command : [];
      for (const arg of command.filter((a) => /\.(ts|js)$/.test(a))) {
        expect({ name, entry: arg, exists: existsSync(arg) }).toEqual({ name, entry: arg, exists: true });
      }
    }
  });

  it('uses valid port mappings and environment values that are strings', () => {
    for (const service of [...Object.values(services), ...Object.values(demo)]) {
      for (const port of service.ports ?? []) expect(port).toMatch(/^(\d{1,5}:)?\d{1,5}(\/(tcp|udp))?$/);
      for (const port of service.expose ?? []) expect(port).toMatch(/^\d{1,5}$/);
      for (const value of Object.values(service.environment ?? {})) expect(typeof value).toBe('string');
    }
  });

  it('only depends on services it defines, and mounts files that exist', () => {
    const all = new Set([...Object.keys(services), ...Object.keys(demo)]);
    for (const service of [...Object.values(services), ...Object.values(demo)]) {
      for (const dep of Object.keys(service.depends_on ?? {})) expect(all).toContain(dep);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./deploy/')) expect(existsSync(source)).toBe(true);
      }
    }
  });

  it('starts the image and the Helm chart\'s processes with the server Node flags, as the launcher does', () => {
    expect(services.gateway.command).toEqual(['node', ...SERVER_NODE_FLAGS, '--import', 'tsx', 'gateway/main.ts']);
    const dockerCmd = readFileSync('Dockerfile', 'utf8').match(/^CMD (.*)$/m)![1];
    expect(JSON.parse(dockerCmd)).toEqual(['node', ...SERVER_NODE_FLAGS, '--import', 'tsx', 'gateway/main.ts']);
    for (const template of ['gateway.yaml', 'subgraphs.yaml']) {
      const command = readFileSync(path.join('deploy/helm/fleetgraph/templates', template), 'utf8').match(/command: \[node, ([^\]]*)\]/)![1].split(', ');
      expect(command.slice(0, SERVER_NODE_FLAGS.length)).toEqual([...SERVER_NODE_FLAGS]);
    }
  });

  it('runs every domain of the manifest on its port, healthy before the gateway starts', () => {
    const gateway = services.gateway;
    for (const d of DOMAINS) {
      const service = services[d.name];
      expect(service.command).toEqual(['node', ...SERVER_NODE_FLAGS, '--import', 'tsx', 'subgraphs/run.ts', d.name]);
      expect(service.environment?.PORT).toBe(String(d.port));
      expect(service.expose).toEqual([String(d.port)]);
      expect(service.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${d.port}/healthz`);
      expect(gateway.environment?.[`SUBGRAPH_${d.name.toUpperCase()}_URL`]).toBe(`http://${d.name}:${d.port}/graphql`);
      expect(gateway.depends_on?.[d.name]).toEqual({ condition: 'service_healthy' });
      if (d.needs.metrics) expect(service.depends_on?.prometheus).toBeDefined();
      // The demo: every subgraph waits for the simulated fleet's kubeconfig.
      expect(demo[d.name].depends_on?.simulator).toEqual({ condition: 'service_healthy' });
    }
  });

  it('demo: the simulator tells clients a name its certificate carries, and introspection is on', () => {
    const command = demo.simulator.command as string[];
    expect(command.slice(command.indexOf('--host'), command.indexOf('--host') + 2)).toEqual(['--host', '0.0.0.0']);
    expect(command[command.indexOf('--public-host') + 1]).toBe('simulator');
    expect(demo.gateway.environment?.INTROSPECTION).toBe('true');
    expect(services.gateway.environment?.INTROSPECTION).toBe('false');
  });
});

/** Docker's .dockerignore rules (Go filepath.Match per path segment, `**` across segments, `!` re-includes). */
function dockerignore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const source = pattern
        .split('/')
        .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/');
      return { negate, re: new RegExp(`^${source}(/.*)?$`) };
    });
  return (file) => {
    let excluded = false;
    for (const rule of rules) if (rule.re.test(file)) excluded = !rule.negate;
    return excluded;
  };
}

/** Every file `docker build .` would send, relative to the repository. */
function buildContext(): Set<string> {
  const excluded = dockerignore(readFileSync('.dockerignore', 'utf8'));
  const files = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir || '.', { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (excluded(rel)) continue;
      if (entry.isDirectory()) walk(rel);
      else files.add(rel);
    }
  };
  walk('');
  return files;
}

describe('the image', () => {
  const context = buildContext();
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };

  it('takes no dependencies, simulator keys or local state from the checkout (.dockerignore)', () => {
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/npm ci --omit=dev/);
    const leaked = [...context].filter((f) => /^(node_modules|\.fleetgraph|config|\.git|test|bench)\//.test(f) || /\.(key|pem|crt|token)$|(^|\/)kubeconfig(\.ya?ml)?$/.test(f));
    expect(leaked).toEqual([]);
    // Whatever a demo run or a checkout leaves there (the simulator's CA and keys, kubeconfigs, installs).
    const excluded = dockerignore(readFileSync('.dockerignore', 'utf8'));
    for (const local of ['.fleetgraph/sim/ca.key', '.fleetgraph/sim/kubeconfig', 'config/kubeconfig', 'config/fleet.yaml', 'node_modules/graphql/index.js', '.git/config', 'test/unit/x.test.ts', '.env']) {
      expect({ local, excluded: excluded(local) }).toEqual({ local, excluded: true });
    }
    expect(context.has('package.json') && context.has('package-lock.json') && context.has('Dockerfile')).toBe(true);
  });

  it('contains every file the entry points import, and their npm packages are production dependencies', async () => {
    const entries = ['gateway/main.ts', 'subgraphs/run.ts', 'simulator/cli.ts'];
    const result = await build({ entryPoints: entries, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', outdir: '/tmp/fleetgraph-image-check', splitting: true, logLevel: 'silent' });
    const sources = Object.keys(result.metafile.inputs);
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((f) => !context.has(f))).toEqual([]);
    const packages = new Set<string>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const imp of output.imports) {
        if (!imp.external || imp.path.startsWith('node:') || builtinModules.includes(imp.path.split('/')[0])) continue;
        const parts = imp.path.split('/');
        packages.add(imp.path.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
      }
    }
    expect([...packages].filter((p) => !(p in pkg.dependencies)).sort()).toEqual([]);
    // The Dockerfile's CMD runs TypeScript through tsx.
    expect(pkg.dependencies.tsx).toBeDefined();
    // Read at run time, not imported: the SDL the subgraphs and the gateway load.
    for (const d of DOMAINS) expect(context.has(`schema/${d.sdl}`)).toBe(true);
    expect(context.has('schema/supergraph.graphql')).toBe(true);
  });
});
