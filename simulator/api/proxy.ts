// Pod and service proxy (`.../pods/<name>[:<port>]/proxy/<path>`): the target must exist (404 as
// upstream), then the simulated exporters answer; nothing listening there is 503 ServiceUnavailable,
// the way the real server reports a refused connection.
import type { ServerResponse } from 'node:http';
import type { KindInfo } from '../kinds.js';
import { proxyRequest } from '../exporters/index.js';
import type { ServedCluster } from './served-cluster.js';
import { ApiError, notFound } from './status.js';

export interface ProxyRoute {
  kind: KindInfo;
  namespace: string;
  name: string;
  port?: string;
  path: string;
  method: string;
  body?: Buffer;
}

export async function serveProxy(cluster: ServedCluster, route: ProxyRoute, res: ServerResponse): Promise<void> {
  const target = cluster.store.get(route.kind.key, route.namespace, route.name);
  if (!target) throw notFound(route.kind, route.name);
  const resource = route.kind.plural === 'pods' ? 'pods' : 'services';
  const answer = await proxyRequest(cluster, { resource, namespace: route.namespace, name: route.name, port: route.port, path: route.path, method: route.method, body: route.body });
  if (!answer) {
    const status = target.status as { podIP?: string } | undefined;
    const spec = target.spec as { clusterIP?: string } | undefined;
    const ip = status?.podIP ?? spec?.clusterIP ?? '10.128.0.1';
    const port = route.port ?? '80';
    throw new ApiError(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`);
  }
  // A 204 (the events API's DELETEs) has neither type nor body.
  const type = answer.contentType ? { 'Content-Type': answer.contentType } : {};
  res.writeHead(answer.status, { ...type, 'Content-Length': Buffer.byteLength(answer.body), ...answer.headers });
  res.end(answer.body);
}
