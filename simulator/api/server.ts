// The HTTPS API server hosting every simulated cluster under `/clusters/<name>`: one server, one
// keep-alive listener, O(1) routing by a map lookup, no per-cluster servers or timers. HTTP/2 and
// HTTP/1.1 on the same port, chosen by ALPN as kube-apiserver does (Go clients and fleetgraph speak h2,
// kubectl's upgrades and older clients HTTP/1.1); handlers get Node's compatibility request/response,
// the same API for both.
// Order per request, as on a real cluster: faults → authentication (401) → routing (404) →
// authorization (403) → handler. Every answered request is counted as `"<verb> <kindKey>"`.
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { allGroups, type KindInfo } from '../kinds.js';
import type { KubeObject } from '../types.js';
import { selfSubjectAccessReview, selfSubjectRulesReview } from './access-review.js';
import { ANONYMOUS, authenticate, authorize, authorizePath, type Principal } from './auth.js';
import { decodeProtobuf, PROTOBUF_CONTENT_TYPE } from './protobuf.js';
import {
  AGGREGATED_V2_CONTENT_TYPE,
  coreVersions,
  groupDocument,
  groupList,
  resourceList,
  versionDocument,
  wantsAggregated,
} from './discovery.js';
import { getObject, listObjects } from './list.js';
import { openApiGroupVersion, openApiRoot, openApiV2 } from './openapi.js';
import { serveProxy } from './proxy.js';
import { readsOnly } from '../exporters/responses.js';
import { route, type Route } from './routes.js';
import { ConnectionLog } from './connections.js';
import { countRequest, type ServedCluster } from './served-cluster.js';
import { ApiError, badRequest, internalError, methodNotAllowed, resourceNotFound, unauthorized } from './status.js';
import { includeObjectOf, renderObjectTable, renderTable, wantsTable, type TableOptions } from './table.js';
import type { WatchHub } from './watch.js';
import { managerOf } from './managed-fields.js';
import { createObject, deleteCollection, deleteObject, patchObject, patchTypeOf, updateObject, type WriteContext } from './writes.js';

const ALL_GROUPS: ReadonlySet<string> = new Set(allGroups().map((g) => g.group));

/** The real server's request body limit (3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface ApiServerOptions {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  clusters: ReadonlyMap<string, ServedCluster>;
  /** The cluster a bearer token (admin or scoped) belongs to, for paths without the cluster prefix. */
  clusterByToken: (token: string) => ServedCluster | undefined;
  watches: WatchHub;
}

export interface ApiServer {
  readonly server: http2.Http2SecureServer;
  readonly port: number;
  /** TLS connections by cluster (control API `GET /connections`). */
  readonly connections: ConnectionLog;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, code: number, body: string | object, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

/** The request body as sent, refused beyond the real server's limit (writes and proxied requests alike). */
async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readRawBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith(PROTOBUF_CONTENT_TYPE)) return decodeProtobuf(raw);
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request is empty');
  try {
    // YAML as the real server reads it (go-yaml v2, YAML 1.1: an unquoted `y` key is `true`)
    return type.includes('yaml') ? parseYaml(text, { version: '1.1' }) : JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

// unref: a request still delayed by a latency fault must not keep a stopped simulator's process alive.
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Name of the verb a request is counted and authorized as. */
function resourceVerb(method: string, name: string | undefined, watch: boolean): string | undefined {
  switch (method) {
    case 'GET':
      return name === undefined ? (watch ? 'watch' : 'list') : watch ? 'watch' : 'get';
    case 'POST':
      return name === undefined ? 'create' : undefined;
    case 'PUT':
      return name === undefined ? undefined : 'update';
    case 'PATCH':
      return name === undefined ? undefined : 'patch';
    case 'DELETE':
      return name === undefined ? 'deletecollection' : 'delete';
    default:
      return undefined;
  }
}

async function handleResource(
  cluster: ServedCluster,
  principal: Principal,
  r: Extract<Route, { type: 'resource' }>,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  watches: WatchHub,
): Promise<void> {
  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  const verb = resourceVerb(req.method ?? 'GET', r.name, watch);
  if (!verb) throw methodNotAllowed();
  const kind: KindInfo = r.kind;
  countRequest(cluster, `${verb} ${kind.key}`);
  // authorization comes before routing on a real server: 403 first, then 405 for a verb the kind lacks
  authorize(principal, verb, kind, r.namespace, r.name, r.subresource);
  if (!(kind.verbs as readonly string[]).includes(verb) && !r.subresource) throw methodNotAllowed();
  const tableVersion = verb === 'list' || verb === 'get' || verb === 'watch' ? wantsTable(req.headers.accept) : undefined;
  const table: TableOptions | undefined = tableVersion && { version: tableVersion, include: includeObjectOf(query), now: Date.now() };
  if (kind.group === 'authorization.k8s.io') {
    // self reviews answer from the caller's own rules and are never stored
    if (verb !== 'create') throw methodNotAllowed();
    const body = (await readBody(req)) as Record<string, unknown>;
    return sendJson(res, 201, kind.kind === 'SelfSubjectAccessReview' ? selfSubjectAccessReview(kind, principal, body) : selfSubjectRulesReview(kind, principal, body));
  }
  const write = (): WriteContext => ({ query, manager: managerOf(query, req.headers['user-agent']), now: Date.now() });
  switch (verb) {
    case 'list': {
      const list = listObjects(cluster, kind, r.namespace, query);
      return sendJson(res, 200, table ? renderTable(kind, list.items, list.metadata, table) : list);
    }
    case 'watch': {
      // watching one object is a watch of its collection narrowed to that name
      const q = new URLSearchParams(query);
      if (r.name !== undefined) {
        const fields = query.get('fieldSelector');
        q.set('fieldSelector', fields ? `${fields},metadata.name=${r.name}` : `metadata.name=${r.name}`);
      }
      const render = table && ((obj: KubeObject) => renderObjectTable(kind, obj, { ...table, now: Date.now() }));
      return watches.open({ cluster, kind, namespace: r.namespace, query: q, req, res, render });
    }
    case 'get': {
      const obj = getObject(cluster, kind, r.namespace, r.name!);
      return sendJson(res, 200, table ? renderObjectTable(kind, obj, table) : obj);
    }
    case 'create':
      if (r.subresource) throw methodNotAllowed();
      // 201 for a dry run too: kube-apiserver answers what it would have created
      return sendJson(res, 201, createObject(cluster, kind, r.namespace, await readBody(req), write()));
    case 'update':
      return sendJson(res, 200, updateObject(cluster, kind, r.namespace, r.name!, r.subresource, await readBody(req), write()));
    case 'patch': {
      const type = patchTypeOf(req.headers['content-type'], kind);
      return sendJson(res, 200, patchObject(cluster, kind, r.namespace, r.name!, r.subresource, type, await readBody(req), write()));
    }
    case 'delete':
      if (r.subresource) throw methodNotAllowed();
      return sendJson(res, 200, deleteObject(cluster, kind, r.namespace, r.name!, query));
    case 'deletecollection':
      return sendJson(res, 200, deleteCollection(cluster, kind, r.namespace, query));
  }
}

async function handleCluster(cluster: ServedCluster, path: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse, watches: WatchHub): Promise<void> {
  const faults = cluster.faults;
  if (faults.latencyMs && faults.latencyMs > 0) await delay(faults.latencyMs);
  if (faults.errorRate && Math.random() < faults.errorRate) throw internalError('simulated fault (errorRate)');
  const principal = authenticate(cluster, req.headers.authorization);
  const r = route(path, cluster.installedGroups, cluster.servedVersions);
  const method = req.method ?? 'GET';
  if (r.type !== 'resource' && r.type !== 'proxy' && r.type !== 'unknown' && method !== 'GET') throw methodNotAllowed();
  const accept = req.headers.accept;
  if (r.type !== 'resource' && r.type !== 'proxy' && r.type !== 'health' && r.type !== 'unknown') authorizePath(principal, path);
  switch (r.type) {
    case 'resource':
      return handleResource(cluster, principal, r, query, req, res, watches);
    case 'proxy': {
      countRequest(cluster, `proxy ${r.kind.key}`);
      // As RBAC names it: get for reads, create for POST, update for PUT … on pods/proxy (services/proxy).
      authorize(principal, PROXY_VERBS[method] ?? 'get', r.kind, r.namespace, r.name, 'proxy');
      // The real API server forwards method, body and query string to the pod (the DPDK exporter's
      // `?cmd=`, the PTP events API's subscription POSTs); GETs carry no body worth reading.
      const body = readsOnly(method) ? undefined : await readRawBody(req);
      return serveProxy(cluster, { ...r, path: query.size ? `${r.path}?${query.toString()}` : r.path, method, body }, res);
    }
    case 'root':
      countRequest(cluster, 'discovery /');
      return sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
    case 'health':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    case 'version':
      countRequest(cluster, 'discovery /version');
      return sendJson(res, 200, versionDocument(cluster.spec.kubernetesVersion));
    case 'core-versions': {
      countRequest(cluster, 'discovery /api');
      const aggregated = wantsAggregated(accept);
      return sendJson(res, 200, coreVersions(aggregated), aggregated ? AGGREGATED_V2_CONTENT_TYPE : 'application/json');
    }
    case 'group-list': {
      countRequest(cluster, 'discovery /apis');
      const aggregated = wantsAggregated(accept);
      return sendJson(res, 200, groupList(cluster.installedGroups, aggregated, cluster.servedVersions), aggregated ? AGGREGATED_V2_CONTENT_TYPE : 'application/json');
    }
    case 'group': {
      countRequest(cluster, `discovery /apis/${r.group}`);
      const doc = groupDocument(cluster.installedGroups, r.group, cluster.servedVersions);
      if (!doc) throw resourceNotFound();
      return sendJson(res, 200, doc);
    }
    case 'resource-list': {
      countRequest(cluster, `discovery ${r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`}`);
      const doc = resourceList(cluster.installedGroups, r.group, r.version, cluster.servedVersions);
      if (!doc) throw resourceNotFound();
      return sendJson(res, 200, doc);
    }
    case 'openapi-v2': {
      countRequest(cluster, 'discovery /openapi/v2');
      const doc = openApiV2(accept);
      return sendJson(res, 200, doc.body, doc.contentType);
    }
    case 'openapi-root':
      countRequest(cluster, 'discovery /openapi/v3');
      return sendJson(res, 200, openApiRoot(cluster.installedGroups, cluster.servedVersions));
    case 'openapi-gv': {
      countRequest(cluster, 'discovery /openapi/v3');
      const doc = openApiGroupVersion(cluster.installedGroups, r.group, r.version, cluster.servedVersions);
      if (!doc) throw resourceNotFound();
      return sendJson(res, 200, doc);
    }
    case 'unknown':
      throw resourceNotFound();
  }
}

const PREFIX = '/clusters/';

const PROXY_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/**
 * An anonymous request outside `/clusters/<name>` names no cluster: health answers, anything else is
 * the 403 system:anonymous gets (for a resource path, worded as for that resource).
 */
function answerAnonymousUnprefixed(pathname: string, res: ServerResponse): void {
  const r = route(pathname, ALL_GROUPS);
  if (r.type === 'health') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return;
  }
  try {
    if (r.type === 'resource' || r.type === 'proxy') authorize(ANONYMOUS, r.type === 'proxy' ? 'get' : r.name ? 'get' : 'list', r.kind, r.namespace, r.name, r.type === 'proxy' ? 'proxy' : r.subresource);
    authorizePath(ANONYMOUS, pathname);
    sendError(res, resourceNotFound());
  } catch (err) {
    sendError(res, err as ApiError);
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { clusters, watches } = options;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://simulator');
    const pathname = url.pathname;
    let cluster: ServedCluster | undefined;
    let path: string;
    if (pathname.startsWith(PREFIX)) {
      const slash = pathname.indexOf('/', PREFIX.length);
      cluster = clusters.get(decodeURIComponent(slash < 0 ? pathname.slice(PREFIX.length) : pathname.slice(PREFIX.length, slash)));
      path = slash < 0 ? '' : pathname.slice(slash);
      if (!cluster) {
        sendError(res, resourceNotFound());
        return;
      }
    } else {
      // `kubectl get --raw /apis` drops the server URL's path (client-go RequestURI), so unprefixed
      // paths are served for the cluster whose token is presented
      const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1];
      cluster = token ? options.clusterByToken(token) : undefined;
      path = pathname;
      if (!cluster && !req.headers.authorization?.trim()) {
        answerAnonymousUnprefixed(pathname, res);
        return;
      }
      if (!cluster) {
        sendError(res, unauthorized());
        return;
      }
    }
    connections.request(req, cluster.name);
    if (cluster.faults.unreachable) {
      // the client sees a reset connection, as with a dead API server behind a load balancer
      const session = (req as unknown as Partial<http2.Http2ServerRequest>).stream?.session;
      if (session) session.destroy();
      else req.socket.destroy();
      return;
    }
    const served = cluster;
    handleCluster(served, path, url.searchParams, req, res, watches).catch((err: unknown) => {
      if (err instanceof ApiError) {
        sendError(res, err);
      } else {
        console.error(JSON.stringify({ msg: 'simulator api: unhandled error', cluster: served.name, path, error: String(err) }));
        sendError(res, internalError(String(err)));
      }
    });
  };
  const connections = new ConnectionLog();
  const server = http2.createSecureServer(
    {
      cert: options.certPem,
      key: options.keyPem,
      allowHTTP1: true,
      // kube-apiserver's --http2-max-streams-per-connection defaults to Go's 250 streams.
      settings: { maxConcurrentStreams: 250 },
    },
    // HTTP/1.1 requests get Node's IncomingMessage/ServerResponse; h2 ones the compatible Http2Server* pair.
    handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  );
  // HTTP/1.1 as before: idle keep-alive connections close after 65 s; no limit on a request's duration (watches).
  Object.assign(server, { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 });
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    connections.accepted(socket);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
