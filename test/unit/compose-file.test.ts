// No Docker engine runs here, so compose.yaml is checked the way `docker compose config` would:
// it parses (anchors and merge keys resolved), every service is runnable, references resolve,
// and every subgraph of the supergraph has its service and its URL on the gateway.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SUBGRAPHS } from '../../schema/subgraphs.js';

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[] | string;
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, unknown>;
  volumes?: string[];
  profiles?: string[];
}

const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

describe('compose.yaml', () => {
  it('only uses known top-level keys', () => {
    const allowed = new Set(['name', 'services', 'volumes', 'networks', 'configs', 'secrets']);
    for (const key of Object.keys(compose)) {
      if (!key.startsWith('x-')) expect(allowed).toContain(key);
    }
  });

  it('gives every service an image or a build, and entry points that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, runnable: Boolean(service.image || service.build) }).toEqual({ name, runnable: true });
      if (service.build) expect(existsSync(typeof service.build === 'string' ? `${service.build}/Dockerfile` : `${service.build.context}/Dockerfile`)).toBe(true);
      const command = Array.isArray(service.command) ? service.command : [];
      for (const arg of command.filter((a) => /\.(ts|js)$/.test(a))) {
        expect({ name, entry: arg, exists: existsSync(arg) }).toEqual({ name, entry: arg, exists: true });
      }
    }
  });

  it('uses valid port mappings and environment values that are strings', () => {
    for (const service of Object.values(services)) {
      for (const port of service.ports ?? []) expect(port).toMatch(/^(\d{1,5}:)?\d{1,5}(\/(tcp|udp))?$/);
      for (const port of service.expose ?? []) expect(port).toMatch(/^\d{1,5}$/);
      for (const value of Object.values(service.environment ?? {})) expect(typeof value).toBe('string');
    }
  });

  it('only depends on services it defines, and mounts files that exist', () => {
    for (const service of Object.values(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(services)).toContain(dep);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./deploy/')) expect(existsSync(source)).toBe(true);
      }
    }
  });

  it('runs every subgraph of the supergraph and tells the gateway where it is', () => {
    const gatewayEnv = services.gateway.environment ?? {};
    for (const subgraph of SUBGRAPHS) {
      expect(services[subgraph.name]).toBeDefined();
      expect(gatewayEnv[`SUBGRAPH_${subgraph.name.toUpperCase()}_URL`]).toBe(`http://${subgraph.name}:${subgraph.port}/graphql`);
      expect(services[subgraph.name].environment?.PORT).toBe(String(subgraph.port));
    }
  });
});
