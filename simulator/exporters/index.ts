// The simulated exporters as the API server's pod/service proxy and the control API's direct-scrape
// endpoint reach them. Which exporter a pod runs follows from what it is (labels, DPDK marker) and the
// port asked for:
//   linuxptp-daemon (app=linuxptp-daemon)             :9091 /metrics (also :8443, kube-rbac-proxy)
//   ovnkube-node (app=ovnkube-node)                   :9105 /metrics (OVS), :9103 /metrics (ovnkube, empty)
//   sriov-network-metrics-exporter                    :9110 /metrics
//   DPDK pods (port `dpdk-telemetry` / annotation)    :9876 /metrics, /telemetry?cmd=<socket command>
//                                                     (or /telemetry/<command without leading slash>)
//   linuxptp-daemon, events mode, PtpOperatorConfig apiVersion 2.x
//                                                     :9043 /api/ocloudNotifications/v2/... (ptp-events.ts)
// The metrics and telemetry pages are GET-only: other methods are 405 as from a Go ServeMux.
import type { SimCluster } from '../cluster.js';
import type { KubeObject } from '../types.js';
import { K } from '../fleet/kind-keys.js';
import { MetricWriter, PROMETHEUS_CONTENT_TYPE } from './prom-text.js';
import { telemetryFor, type ClusterTelemetry } from './telemetry.js';
import { isDpdkPod } from './dpdk.js';
import { isSriovExporterPod } from './sriov.js';
import { servePtpEvents } from './ptp-events.js';
import { JSON_TYPE, METHOD_NOT_ALLOWED, NOT_FOUND, readsOnly, type Answer, type BackendRequest, type ProxyResponse } from './responses.js';

export { ClusterTelemetry, telemetryFor } from './telemetry.js';
export type { Clock } from './telemetry.js';

export interface ProxyTarget {
  resource: 'pods' | 'services';
  namespace: string;
  name: string;
  /** Port number or name as given in `NAME:PORT` (pods: default 80, as the real API server dials). */
  port?: string;
  /** Path after `/proxy`, with the query string if any, e.g. `/telemetry?cmd=/ethdev/stats,0`. */
  path: string;
  /** HTTP method passed through to the backend (default GET). */
  method?: string;
  /** Request body passed through to the backend (writes only). */
  body?: Buffer;
}

export type { Answer, ProxyResponse } from './responses.js';

/** The Status a real API server answers when the proxied backend cannot be reached. */
function unavailable(message: string): ProxyResponse {
  return {
    status: 503,
    contentType: JSON_TYPE,
    body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 }),
  };
}


interface DeclaredPort {
  name?: string;
  containerPort: number;
}

function declaredPorts(pod: KubeObject): DeclaredPort[] {
  const containers = (pod.spec as { containers?: { ports?: DeclaredPort[] }[] } | undefined)?.containers ?? [];
  return containers.flatMap((c) => c.ports ?? []);
}

function podIP(pod: KubeObject): string {
  return (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
}

function nodeOf(pod: KubeObject): string {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
}

function running(pod: KubeObject): boolean {
  return (pod.status as { phase?: string } | undefined)?.phase === 'Running';
}

function page(write: (w: MetricWriter) => void): ProxyResponse {
  const w = MetricWriter.create();
  write(w);
  return { status: 200, contentType: PROMETHEUS_CONTENT_TYPE, body: w.render() };
}

/** A GET-only page at `path`: 404 elsewhere, 405 for another method. */
function getOnly(req: BackendRequest, path: string, answer: () => ProxyResponse): ProxyResponse {
  if (req.url.pathname !== path) return NOT_FOUND;
  return readsOnly(req.method) ? answer() : METHOD_NOT_ALLOWED;
}

/** What a pod serves on `port` for `req`; undefined when nothing listens there. */
function serve(cluster: SimCluster, tel: ClusterTelemetry, pod: KubeObject, port: number, req: BackendRequest): Answer | undefined {
  const t = tel.now();
  const app = pod.metadata.labels?.app;
  const node = nodeOf(pod);
  const url = req.url;
  if (app === 'linuxptp-daemon' && (port === 9091 || port === 8443)) {
    return getOnly(req, '/metrics', () => page((w) => tel.ptp(node)?.collect(w, t)));
  }
  if (app === 'linuxptp-daemon' && port === 9043) return servePtpEvents(cluster, tel, pod, req);
  if (app === 'ovnkube-node' && port === 9105) {
    return getOnly(req, '/metrics', () => page((w) => tel.ovs(node).collect(w, t)));
  }
  if (app === 'ovnkube-node' && port === 9103) {
    return getOnly(req, '/metrics', () => page(() => undefined));
  }
  if (isSriovExporterPod(pod) && port === 9110) {
    return getOnly(req, '/metrics', () => page((w) => tel.sriov(node).collect(w, t)));
  }
  if (isDpdkPod(pod) && port === 9876) {
    const dpdk = tel.dpdk(pod);
    if (url.pathname === '/metrics') return getOnly(req, '/metrics', () => page((w) => dpdk.collect(w, t)));
    if (url.pathname === '/telemetry' || url.pathname.startsWith('/telemetry/')) {
      if (!readsOnly(req.method)) return METHOD_NOT_ALLOWED;
      // `?cmd=/ethdev/stats,0`, or the command as the rest of the path (`/telemetry/ethdev/stats,0`) for
      // clients that cannot pass a query string through the proxy.
      const cmd = url.pathname === '/telemetry' ? url.searchParams.get('cmd') : decodeURIComponent(url.pathname.slice('/telemetry'.length));
      if (!cmd) {
        return { status: 400, contentType: JSON_TYPE, body: JSON.stringify({ error: 'missing cmd query parameter, e.g. /telemetry?cmd=/ethdev/list' }) };
      }
      return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(dpdk.command(cmd, t)) };
    }
    return NOT_FOUND;
  }
  return undefined;
}

function proxyToPod(cluster: SimCluster, pod: KubeObject, port: number, path: string, method: string, body?: Buffer): Answer {
  const address = `${podIP(pod)}:${port}`;
  if (!running(pod)) return unavailable(`error trying to reach service: dial tcp ${address}: connect: no route to host`);
  if (!declaredPorts(pod).some((p) => p.containerPort === port)) {
    return unavailable(`error trying to reach service: dial tcp ${address}: connect: connection refused`);
  }
  const url = new URL(path.startsWith('/') ? path : `/${path}`, 'http://pod.invalid');
  return serve(cluster, telemetryFor(cluster), pod, port, { method, url, body }) ?? unavailable(`error trying to reach service: dial tcp ${address}: connect: connection refused`);
}

function resolvePodPort(pod: KubeObject, port: string | number | undefined): number | undefined {
  if (port === undefined || port === '') return 80;
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return declaredPorts(pod).find((p) => p.name === port)?.containerPort;
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

function proxyToService(cluster: SimCluster, svc: KubeObject, target: ProxyTarget): Answer {
  const portRequest = target.port;
  const spec = svc.spec as { ports?: ServicePort[]; selector?: Record<string, string> } | undefined;
  const ports = spec?.ports ?? [];
  const sp =
    portRequest === undefined || portRequest === ''
      ? ports.length === 1 ? ports[0] : ports.find((p) => !p.name)
      : ports.find((p) => p.name === portRequest || String(p.port) === portRequest);
  const name = svc.metadata.name;
  if (!sp) return unavailable(`no endpoints available for service "${name}"`);
  const selector = spec?.selector ?? {};
  const endpoints = cluster.store
    .list(K.pods, svc.metadata.namespace)
    .filter((p) => running(p) && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
  if (Object.keys(selector).length === 0 || endpoints.length === 0) return unavailable(`no endpoints available for service "${name}"`);
  const endpoint = endpoints[0];
  const port = resolvePodPort(endpoint, sp.targetPort ?? sp.port);
  if (port === undefined) return unavailable(`no endpoints available for service "${name}"`);
  return proxyToPod(cluster, endpoint, port, target.path, target.method ?? 'GET', target.body);
}

/**
 * Answer a pod/service proxy request from the simulated exporters. Undefined when the pod or service
 * does not exist (the API server answers its own 404 NotFound); otherwise the backend's response, or the
 * 503 Status a real API server gives when nothing listens on that port. Reads (GET, HEAD, the default)
 * are answered at once by every backend; only a write may wait on a request of its own (the PTP events
 * API checks a subscriber's endpoint).
 */
export function proxyRequest(cluster: SimCluster, target: ProxyTarget & { method?: 'GET' | 'HEAD' }): ProxyResponse | undefined;
export function proxyRequest(cluster: SimCluster, target: ProxyTarget): Answer | undefined;
export function proxyRequest(cluster: SimCluster, target: ProxyTarget): Answer | undefined {
  if (target.resource === 'services') {
    const svc = cluster.store.get(K.services, target.namespace, target.name);
    return svc ? proxyToService(cluster, svc, target) : undefined;
  }
  const pod = cluster.store.get(K.pods, target.namespace, target.name);
  if (!pod) return undefined;
  const port = resolvePodPort(pod, target.port);
  if (port === undefined) return unavailable(`error trying to reach service: unknown port name "${target.port}" on pod "${target.name}"`);
  return proxyToPod(cluster, pod, port, target.path, target.method ?? 'GET', target.body);
}

/**
 * Every exporter of the cluster in one Prometheus text page, each series labelled with the `namespace`
 * and `pod` Prometheus would attach from service discovery (and `node` on SR-IOV series, as the
 * ServiceMonitor relabels it; the cAdvisor series of the OVS systemd units carry `node` only). A real Prometheus scrapes this per cluster, adding `cluster`.
 */
export function renderClusterMetrics(cluster: SimCluster): string {
  const tel = telemetryFor(cluster);
  const t = tel.now();
  const w = MetricWriter.create();
  for (const pod of cluster.store.list(K.pods)) {
    if (!running(pod)) continue;
    const target = w.withLabels({ namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name });
    const node = nodeOf(pod);
    const app = pod.metadata.labels?.app;
    if (app === 'linuxptp-daemon') tel.ptp(node)?.collect(target, t);
    else if (app === 'ovnkube-node') {
      tel.ovs(node).collect(target, t);
      // The kubelet's cAdvisor page of the same node, as Prometheus labels it (node, metrics_path).
      tel.ovs(node).collectHostServices(w.withLabels({ node, metrics_path: '/metrics/cadvisor' }), t);
    }
    else if (isSriovExporterPod(pod)) tel.sriov(node).collect(target.withLabels({ node }), t);
    if (isDpdkPod(pod)) tel.dpdk(pod).collect(target, t);
  }
  return w.render();
}
