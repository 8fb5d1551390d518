// The TLS connections clients hold to the simulated API server, per cluster: what a fleet client costs
// the server (and the client: each connection is a handshake and its TLS state). A connection belongs to
// the cluster of its first request (HTTP/2: the session, whatever number of streams it carries;
// HTTP/1.1: the socket). The control API's `GET /connections` shows them.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

export interface ConnectionCounts {
  /** Open now. */
  open: number;
  /** Opened (each a TLS handshake) since the start or the last reset. */
  opened: number;
  /** Of the opened ones, how many spoke HTTP/2 and HTTP/1.1. */
  h2: number;
  http1: number;
}

export interface ConnectionReport {
  /** Every TLS connection the server accepted, whichever cluster it served (or none yet). */
  total: { open: number; opened: number };
  clusters: Record<string, ConnectionCounts>;
}

type Connection = EventEmitter;

const empty = (): ConnectionCounts => ({ open: 0, opened: 0, h2: 0, http1: 0 });

export class ConnectionLog {
  private readonly owners = new WeakMap<Connection, string>();
  private readonly byCluster = new Map<string, ConnectionCounts>();
  private open = 0;
  private opened = 0;

  /** A TLS handshake completed (`secureConnection`). */
  accepted(socket: EventEmitter): void {
    this.open++;
    this.opened++;
    socket.once('close', () => {
      this.open--;
    });
  }

  /** A request arrived on a connection: the connection is the cluster's if it had no cluster yet. */
  request(req: IncomingMessage | Http2ServerRequest, cluster: string): void {
    const h2 = 'stream' in req && req.stream !== undefined;
    const connection: Connection = h2 ? (req as Http2ServerRequest).stream.session! : (req as IncomingMessage).socket;
    if (!connection || this.owners.has(connection)) return;
    this.owners.set(connection, cluster);
    const counts = this.counts(cluster);
    counts.open++;
    counts.opened++;
    if (h2) counts.h2++;
    else counts.http1++;
    connection.once('close', () => {
      this.counts(cluster).open--;
    });
  }

  report(only?: string): ConnectionReport {
    const clusters: Record<string, ConnectionCounts> = {};
    for (const [name, counts] of [...this.byCluster].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (only === undefined || only === name) clusters[name] = { ...counts };
    }
    return { total: { open: this.open, opened: this.opened }, clusters };
  }

  /** Zeroes the `opened` counters (open connections stay counted as open). */
  reset(): void {
    this.opened = 0;
    for (const counts of this.byCluster.values()) Object.assign(counts, { opened: 0, h2: 0, http1: 0 });
  }

  private counts(cluster: string): ConnectionCounts {
    let counts = this.byCluster.get(cluster);
    if (!counts) this.byCluster.set(cluster, (counts = empty()));
    return counts;
  }
}
