// One cluster's connections (subgraphs/kube/connections.ts): over HTTP/2 every call and every watch of a
// cluster share one TLS connection, counted by the simulator; a server without h2 gets a pool of
// HTTP/1.1 connections where an open watch never holds up other calls (writes included); HTTP/2 can be switched off; a
// first connection that fails is tried again by the next call; an HTTP/2 connection that stops answering
// (calls and a PING) is dropped after a few unanswered calls and the next call dials a new one, while a
// busy server whose PINGs are answered keeps its connection.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { request } from 'undici';
import { generateCertificates, type SimulatorCertificates } from '../../simulator/certs.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { ClusterConnections, STUCK_AFTER } from '../../subgraphs/kube/connections.js';
import { errorFromTransport } from '../../subgraphs/kube/errors.js';
import { ClusterRegistry } from '../../subgraphs/kube/registry.js';
import { Resources } from '../../subgraphs/kube/resources.js';
import type { WatchStream } from '../../subgraphs/kube/watch-stream.js';
import { edgeSpec, hubSpec, regionalSpec } from '../helpers/sim-specs.js';
import { waitUntil } from '../helpers/wait.js';

let sim: Simulator;
let dir: string;

interface Counts {
  open: number;
  opened: number;
  h2: number;
  http1: number;
}

async function connectionsOf(cluster: string): Promise<Counts | undefined> {
  const res = await fetch(`${sim.controlUrl}/connections?cluster=${cluster}`);
  return ((await res.json()) as { clusters: Record<string, Counts> }).clusters[cluster];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-conn-'));
  sim = await startSimulator({ port: 0, controlPort: 0, dir, specs: [hubSpec(), edgeSpec(), regionalSpec()] });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('against the simulator (HTTP/2 and HTTP/1.1 on one port)', () => {
  test('a cold burst of calls and five watches of one cluster share one HTTP/2 connection', async () => {
    const registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath] });
    const watches: WatchStream[] = [];
    try {
      const client = registry.client('edge-1');
      const kinds = [Resources.nodes, Resources.pods, Resources.ptpConfigs, Resources.nodePtpDevices, Resources.sriovNetworkNodeStates];
      // All at once on a cluster never contacted: 20 lists and 5 watches.
      const lists = Promise.all(Array.from({ length: 20 }, (_, i) => client.list(kinds[i % kinds.length])));
      watches.push(...(await Promise.all(kinds.map((ref) => client.watch(ref)))));
      expect((await lists).every((l) => Array.isArray(l.items))).toBe(true);
      // …and a call while every watch is open is answered on the same connection.
      expect(await client.get(Resources.nodes, undefined, 'edge-1-node')).toMatchObject({ metadata: { name: 'edge-1-node' } });
      // So are writes (POST, PATCH): undici would hold a non-idempotent call until no watch is open.
      const configMaps = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true } as const;
      const created = await client.create(configMaps, { metadata: { name: 'h2-write', namespace: 'default' }, data: { a: '1' } });
      expect(created).toMatchObject({ metadata: { name: 'h2-write' }, data: { a: '1' } });
      expect(await client.patch(configMaps, 'default', 'h2-write', { data: { a: '2' } })).toMatchObject({ data: { a: '2' } });

      expect(client.connectionStats()).toEqual({ protocol: 'h2', open: 1, opened: 1, retired: 0, pingsAnswered: 0, goaways: 0 });
      expect(await connectionsOf('edge-1')).toEqual({ open: 1, opened: 1, h2: 1, http1: 0 });
    } finally {
      for (const w of watches) w.close();
      await registry.close();
    }
    await waitUntil('the connection closed', async () => (await connectionsOf('edge-1'))?.open === 0);
  });

  test('http2: false speaks HTTP/1.1, a watch holding its own connection', async () => {
    const registry = new ClusterRegistry({ kubeconfigPaths: [sim.kubeconfigPath], client: { http2: false } });
    let watch: WatchStream | undefined;
    try {
      const client = registry.client('regional-1');
      watch = await client.watch(Resources.nodes);
      expect(await client.get(Resources.nodes, undefined, 'regional-1-a')).toMatchObject({ metadata: { name: 'regional-1-a' } });
      expect(client.connectionStats()).toMatchObject({ protocol: 'http/1.1', open: 2, opened: 2 });
      expect(await connectionsOf('regional-1')).toMatchObject({ open: 2, h2: 0, http1: 2 });
    } finally {
      watch?.close();
      await registry.close();
    }
  });
});

describe('against a server without HTTP/2', () => {
  let certs: SimulatorCertificates;
  let server: https.Server;
  let origin: string;
  const streams = new Set<import('node:http').ServerResponse>();

  beforeAll(async () => {
    certs = await generateCertificates();
    server = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
      if (req.url === '/stream') {
        // a watch-like answer that never ends
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"type":"BOOKMARK"}\n');
        streams.add(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`hello ${req.httpVersion}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of streams) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('falls back to a pool of HTTP/1.1 connections; an open stream does not hold up the calls behind it', async () => {
    const connections = new ClusterConnections({ origin, secureContext: createSecureContext({ ca: certs.caPem }), rejectUnauthorized: true });
    try {
      // The stream and three calls all arrive before the protocol is known.
      const stream = request(`${origin}/stream`, { dispatcher: connections });
      const calls = Promise.all([1, 2, 3].map(() => request(`${origin}/hello`, { dispatcher: connections }).then((r) => r.body.text())));
      expect(await calls).toEqual(['hello 1.1', 'hello 1.1', 'hello 1.1']);
      const open = await stream;
      expect(open.statusCode).toBe(200);
      expect(connections.stats().protocol).toBe('http/1.1');
      expect(connections.stats().open).toBeGreaterThanOrEqual(2);
      open.body.destroy();
    } finally {
      await connections.destroy();
    }
  });

  test('a first connection that fails is tried again by the next call', async () => {
    // A port nobody listens on yet.
    const probe = https.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const target = `https://127.0.0.1:${port}`;
    const connections = new ClusterConnections({ origin: target, secureContext: createSecureContext({ ca: certs.caPem }), rejectUnauthorized: true });
    const late = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => res.end(`late ${req.httpVersion}`));
    try {
      const refused = await Promise.allSettled([1, 2, 3].map(() => request(`${target}/x`, { dispatcher: connections })));
      expect(refused.every((r) => r.status === 'rejected')).toBe(true);
      expect(connections.stats()).toMatchObject({ protocol: null, open: 0 });

      await new Promise<void>((r) => late.listen(port, '127.0.0.1', r));
      const answers = await Promise.all([1, 2].map(() => request(`${target}/x`, { dispatcher: connections }).then((r) => r.body.text())));
      expect(answers).toEqual(['late 1.1', 'late 1.1']);
      expect(connections.stats().protocol).toBe('http/1.1');
    } finally {
      await connections.destroy();
      late.closeAllConnections();
      await new Promise<void>((r) => late.close(() => r()));
    }
  });
});

describe('an HTTP/2 connection that stops answering', () => {
  let certs: SimulatorCertificates;
  let server: http2.Http2SecureServer;
  let proxy: net.Server;
  let origin: string;
  // Each connection gets a number; `/slow` is never answered (a busy server: its PINGs still are).
  const sessions = new Map<http2.Http2Session, number>();
  /** `/slow` calls each connection holds unanswered. */
  const held = new Map<http2.Http2Session, number>();
  // The proxy in front: a blackholed connection forwards nothing either way any more (a dead path).
  const links = new Set<{ blackholed: boolean }>();
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    certs = await generateCertificates();
    server = http2.createSecureServer({ cert: certs.certPem, key: certs.keyPem });
    server.on('session', (session) => sessions.set(session, sessions.size + 1));
    server.on('stream', (stream, headers) => {
      if (headers[':path'] === '/slow') return void held.set(stream.session!, (held.get(stream.session!) ?? 0) + 1);
      stream.respond({ ':status': 200 });
      stream.end(`connection ${sessions.get(stream.session!)}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = (server.address() as AddressInfo).port;
    proxy = net.createServer((client) => {
      const upstream = net.connect(target, '127.0.0.1');
      const link = { blackholed: false };
      links.add(link);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
      }
      client.on('data', (d) => void (link.blackholed || upstream.write(d)));
      upstream.on('data', (d) => void (link.blackholed || client.write(d)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    origin = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const session of sessions.keys()) session.destroy();
    await new Promise<void>((r) => proxy.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  });

  const connectionsTo = () => new ClusterConnections({ origin, secureContext: createSecureContext({ ca: certs.caPem }), rejectUnauthorized: true, pingTimeout: 5000 });
  const text = (c: ClusterConnections, path: string) => request(`${origin}${path}`, { dispatcher: c, signal: AbortSignal.timeout(20_000) }).then((r) => r.body.text());
  /** A call abandoned at a short deadline, as a resolver's deadline abandons one. */
  const abandoned = (c: ClusterConnections, path: string) =>
    request(`${origin}${path}`, { dispatcher: c, signal: AbortSignal.timeout(200) }).then(
      () => 'answered',
      (err: Error) => err.name,
    );

  test(`after ${STUCK_AFTER} unanswered calls in a row and an unanswered PING the connection is dropped; the next call is answered on a new one`, async () => {
    const connections = connectionsTo();
    try {
      const first = await text(connections, '/ok');
      expect(connections.stats()).toMatchObject({ protocol: 'h2', opened: 1, retired: 0 });
      // The path dies: nothing goes through this connection any more; every call is abandoned at its deadline.
      for (const link of links) link.blackholed = true;
      const lost: string[] = [];
      for (let i = 0; i < STUCK_AFTER; i++) lost.push(await abandoned(connections, '/ok'));
      expect(lost.every((l) => l !== 'answered')).toBe(true);
      // …the PING goes unanswered too, and the next call is answered on a second connection.
      await waitUntil('the connection retired', async () => connections.stats().retired === 1 || undefined, 20_000);
      const next = await text(connections, '/ok');
      expect(next).not.toBe(first);
      expect(next).toMatch(/^connection \d+$/);
      expect(connections.stats()).toMatchObject({ protocol: 'h2', opened: 2, retired: 1 });
    } finally {
      await connections.destroy();
    }
  });

  test('a GOAWAY with calls in flight fails those calls (retryable) and the next call is answered on a new connection', async () => {
    const connections = connectionsTo();
    try {
      const first = await text(connections, '/ok');
      const number = Number(first.replace('connection ', ''));
      const session = [...sessions].find(([, n]) => n === number)![0];
      // Three calls in flight on the connection (the server holds them), then the server sends GOAWAY:
      // undici 7.30 would fail the first and replay the others, or assert and take the process down.
      const inFlight = [1, 2, 3].map(() =>
        request(`${origin}/slow`, { dispatcher: connections, signal: AbortSignal.timeout(20_000) }).then(
          () => 'answered',
          (err: Error) => errorFromTransport('edge', err).code,
        ),
      );
      await waitUntil('three calls held by the server', async () => held.get(session) === 3 || undefined, 10_000);
      session.goaway(http2.constants.NGHTTP2_NO_ERROR);
      expect(await Promise.all(inFlight)).toEqual(['CLUSTER_UNREACHABLE', 'CLUSTER_UNREACHABLE', 'CLUSTER_UNREACHABLE']);
      const next = await text(connections, '/ok');
      expect(next).not.toBe(first);
      expect(connections.stats()).toMatchObject({ protocol: 'h2', opened: 2, goaways: 1 });
    } finally {
      await connections.destroy();
    }
  });

  test('a busy server (calls unanswered, PING answered) keeps its connection', async () => {
    const connections = connectionsTo();
    try {
      const first = await text(connections, '/ok');
      for (let i = 0; i < STUCK_AFTER; i++) expect(await abandoned(connections, '/slow')).not.toBe('answered');
      // The PING is answered: the connection stays.
      await waitUntil('the PING answered', async () => connections.stats().pingsAnswered === 1 || undefined, 20_000);
      expect(await text(connections, '/ok')).toBe(first);
      expect(connections.stats()).toMatchObject({ protocol: 'h2', opened: 1, retired: 0, pingsAnswered: 1 });
    } finally {
      await connections.destroy();
    }
  });
});
