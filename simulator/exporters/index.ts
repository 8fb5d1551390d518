// PLACEHOLDER written by the API-server engineer so the pod/service proxy and the control API's
// /metrics endpoint compile before the exporters exist. The exporters engineer replaces this file;
// keep these two exports (names and shapes) — simulator/api/proxy.ts and simulator/control/ call them.
import type { SimCluster } from '../cluster.js';

export interface ProxyTarget {
  resource: 'pods' | 'services';
  namespace: string;
  name: string;
  /** Port (number or name) from `<name>:<port>` in the URL; absent when the URL names none. */
  port?: string;
  /** Path below `/proxy`, starting with `/` (e.g. `/metrics`). */
  path: string;
}

export interface ProxyResponse {
  status: number;
  contentType: string;
  body: string;
}

/** What a simulated exporter answers at that pod/service port and path; undefined when nothing listens. */
export function proxyRequest(_cluster: SimCluster, _target: ProxyTarget): ProxyResponse | undefined {
  return undefined;
}

/** Every exporter of one cluster in one Prometheus text page (control API `GET /metrics/<cluster>`). */
export function renderClusterMetrics(_cluster: SimCluster): string {
  return '';
}
