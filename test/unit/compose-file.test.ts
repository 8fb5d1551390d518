// No Docker engine runs here, so compose.yaml / compose.demo.yaml are checked the way `docker compose
// config` would, and against the manifest they are generated from: stale files fail, every service is
// runnable, references resolve, every domain has its service, port, health check and dependencies.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { composeDemoFile, composeFile } from '../../scripts/compose-file.js';
import { DOMAINS } from '../../subgraphs/domains.js';

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

  it('runs every domain of the manifest on its port, healthy before the gateway starts', () => {
    const gateway = services.gateway;
    for (const d of DOMAINS) {
      const service = services[d.name];
      expect(service.command).toEqual(['node', '--import', 'tsx', 'subgraphs/run.ts', d.name]);
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

describe('the image', () => {
  it('takes no dependencies, simulator keys or local state from the checkout (.dockerignore)', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.fleetgraph', '.git', 'config']) expect(ignored).toContain(entry);
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/npm ci --omit=dev/);
  });
});
