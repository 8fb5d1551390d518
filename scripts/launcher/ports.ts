// The stack's ports: the defaults (gateway 4000, subgraphs from the manifest, simulator 6443/6480),
// shifted together by a base port, or all random (base port 0); and a check before anything starts, so
// a second `npm start` beside a running one says which port is taken and what to do.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { DomainEntry } from '../../subgraphs/common/domain.js';

export const DEFAULT_BASE_PORT = 4000;

export interface StackPorts {
  gateway: number;
  subgraph(domain: Pick<DomainEntry, 'port'>): number;
  simulatorApi: number;
  simulatorControl: number;
}

export function stackPorts(
  basePort: number | undefined,
  gatewayPort: number | undefined,
  simulator: { port?: number; controlPort?: number } = {},
): StackPorts {
  if (basePort !== undefined && (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535 - 2480)) {
    throw new Error(`--base-port must be 0 (random ports) or a port below ${65535 - 2480}, got ${basePort}`);
  }
  const shift = (defaultPort: number) => (basePort === 0 ? 0 : defaultPort - DEFAULT_BASE_PORT + (basePort ?? DEFAULT_BASE_PORT));
  return {
    gateway: gatewayPort ?? shift(4000),
    subgraph: (d) => shift(d.port),
    simulatorApi: simulator.port ?? shift(6443),
    simulatorControl: simulator.controlPort ?? shift(6480),
  };
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws one clear error naming every fixed port that is already taken (random ports are never checked). */
export async function assertPortsFree(host: string, ports: StackPorts, withSimulator: boolean, domains: readonly Pick<DomainEntry, 'name' | 'port'>[] = []): Promise<void> {
  const wanted: [string, number][] = [['gateway', ports.gateway], ...domains.map((d): [string, number] => [`${d.name} subgraph`, ports.subgraph(d)])];
  if (withSimulator) wanted.push(['simulator API', ports.simulatorApi], ['simulator control API', ports.simulatorControl]);
  const taken: string[] = [];
  for (const [what, port] of wanted) {
    if (port !== 0 && !(await canListen(withSimulator && what.startsWith('simulator') ? '127.0.0.1' : host, port))) taken.push(`${port} (${what})`);
  }
  if (taken.length) {
    throw new Error(
      `port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already in use — is another fleetgraph (npm start) running? ` +
        `Stop it, or move this one: --base-port N (gateway N, subgraphs N+1…, simulator N+2443/N+2480) or --base-port 0 (random ports).`,
    );
  }
}

/**
 * A port that is free now, for a child that must know its port before it starts. Picked at random below
 * the kernel's ephemeral range (ip_local_port_range): a port the OS hands out (listen on 0) can be taken
 * again as the local port of any outgoing connection before the child binds it (EADDRINUSE), which on a
 * busy machine (the test suite: thousands of connections) happens; ports below that range are only ever
 * taken by listeners, and the one picked is checked free. Falls back to an OS-picked port.
 */
export async function freePort(host: string): Promise<number> {
  const low = ephemeralRangeStart();
  const first = 10_000; // above the well-known and usual service ports (Redis 6379, Prometheus 9090, ours 4000–6480)
  if (low - first >= 1000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = first + Math.floor(Math.random() * (low - first));
      if (await canListen(host, port)) return port;
    }
  }
  return osPickedPort(host);
}

function ephemeralRangeStart(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low)) return low;
  } catch {
    // not Linux: the IANA dynamic range
  }
  return 49152;
}

function osPickedPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
