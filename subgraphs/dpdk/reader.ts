// Reads DPDK telemetry commands from a pod's exporter through the API server's pod proxy:
// `/api/v1/namespaces/NS/pods/POD:PORT/proxy/telemetry/ethdev/stats,0` answers the socket's JSON reply
// to `/ethdev/stats,0`. The exporter also takes `?cmd=<command>`, but the path form needs nothing of the
// proxy beyond the path (the simulator's proxy, unlike a real API server, drops query strings).
// Every read runs under one process-wide Limiter (bounded concurrency whatever the query asks for) and
// the cluster client's own deadline, concurrency limit and breaker. Failures are ClusterErrors; a pod
// that fails behind the proxy is not its cluster's fault (the client marks those).
import type { CallOptions } from '../kube/client.js';
import { ClusterError, toClusterError } from '../kube/errors.js';
import { proxyPath } from '../kube/resources.js';
import { Limiter } from '../kube/limiter.js';
import { parseReply, TelemetryReplyError } from './telemetry.js';

/** What the reader needs of a cluster client (ClusterClient has it). */
export interface RawClient {
  getRaw(path: string, options?: CallOptions & { accept?: string }): Promise<string>;
}

export interface TelemetryClients {
  client(name: string): RawClient;
}

export interface TelemetryTarget {
  cluster: string;
  namespace: string;
  pod: string;
  port: number;
}

export interface TelemetryReaderOptions {
  /** Telemetry reads in flight at once, process-wide (the domain setting `proxyConcurrency`). Default 16. */
  concurrency?: number;
}

/** The pod-proxy path of the exporter's telemetry endpoint (no credentials). */
export function telemetryPath(target: TelemetryTarget, command?: string): string {
  // encodeURI keeps the command's '/' and ',' literal and escapes anything else.
  const path = command === undefined ? '/telemetry' : `/telemetry${encodeURI(command.startsWith('/') ? command : `/${command}`)}`;
  return proxyPath({ namespace: target.namespace, name: target.pod, port: target.port, path });
}

export class TelemetryReader {
  readonly limiter: Limiter;

  constructor(
    private readonly clients: TelemetryClients,
    options: TelemetryReaderOptions = {},
  ) {
    this.limiter = new Limiter(options.concurrency ?? 16);
  }

  /** One telemetry command's reply value. Throws ClusterError. */
  async command(target: TelemetryTarget, command: string, signal?: AbortSignal): Promise<unknown> {
    const client = this.clients.client(target.cluster);
    const text = await this.limiter.run(() => client.getRaw(telemetryPath(target, command), { signal, accept: 'application/json' }));
    try {
      return parseReply(command, text);
    } catch (err) {
      throw telemetryFailure(target.cluster, err, `pod ${target.namespace}/${target.pod} in cluster ${target.cluster}: `);
    }
  }
}

/**
 * Any failure of a telemetry read as a ClusterError: a bad or refused reply is the pod's fault, not its
 * cluster's (UPSTREAM_ERROR with the reply's reason); anything else through the kube error mapper.
 */
export function telemetryFailure(cluster: string, err: unknown, prefix = ''): ClusterError {
  if (err instanceof TelemetryReplyError) return new ClusterError('UPSTREAM_ERROR', cluster, prefix + err.message, { reason: err.reason, clusterFault: false });
  return toClusterError(cluster, err);
}
