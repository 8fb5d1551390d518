// A watch: opening it (the cluster's deadline covers the wait for the response headers; it holds its
// connection for minutes, so neither the concurrency limit nor the breaker applies) and reading the
// event stream the API server sends: one JSON object per line, split across chunks anywhere.
// Closing the stream ends iteration without an error; a broken stream throws a coded ClusterError.
import { performance } from 'node:perf_hooks';
import { ClusterError, errorFromResponse, errorFromTransport, toClusterError } from './errors.js';
import type { HealthRecord } from './health.js';
import type { KubeObject, WatchEvent } from './objects.js';
import { withTypeMeta, type ResourceRef } from './resources.js';
import type { ClusterTransport, Sent } from './transport.js';

/** A watch stream: events until the server ends it (iteration ends) or it fails (iteration throws ClusterError). */
export interface WatchStream<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  /** Ends the stream; iteration then ends without error. */
  close(): void;
}

export interface OpenWatch {
  cluster: string;
  ref: ResourceRef;
  /** The watch path (`?watch=true&…`). */
  path: string;
  transport: ClusterTransport;
  health: HealthRecord;
  deadlineMs: number;
  deadlineError: () => ClusterError;
  /** The stream fails with CLUSTER_TIMEOUT after this long without a byte, ms (half-open TCP). 0 = never. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Opens a watch; answers that are not 200 and failures to connect are ClusterErrors (recorded in health). */
export async function openWatch<T extends KubeObject>(o: OpenWatch): Promise<WatchStream<T>> {
  if (o.transport.isClosed) throw o.transport.closedError();
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (o.signal?.aborted) stop();
  o.signal?.addEventListener('abort', stop, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, o.deadlineMs);
  const release = () => o.signal?.removeEventListener('abort', stop);
  const started = performance.now();
  let sent: Sent;
  try {
    sent = await o.transport.send('GET', o.path, { signal: controller.signal, bodyTimeout: o.idleTimeoutMs ?? 0 });
  } catch (err) {
    clearTimeout(timer);
    release();
    const error = timedOut
      ? o.deadlineError()
      : o.signal?.aborted
        ? new ClusterError('UPSTREAM_ERROR', o.cluster, `cluster ${o.cluster}: watch cancelled`)
        : errorFromTransport(o.cluster, err);
    if (!o.signal?.aborted) o.health.failed(error);
    throw error;
  }
  clearTimeout(timer);
  const latency = performance.now() - started;
  if (sent.status !== 200) {
    const text = await sent.body.text().catch(() => '');
    release();
    const error = errorFromResponse(o.cluster, sent.status, text);
    o.health.answered(latency, error);
    throw error;
  }
  o.health.answered(latency, null);
  return watchEvents<T>(o.cluster, o.ref, sent.body, controller, () => o.health.contact(), release);
}

/**
 * The events of an open watch body. `onData` runs for every chunk (the cluster is alive); `release`
 * when the stream ends, however it ends.
 */
export function watchEvents<T extends KubeObject>(
  cluster: string,
  ref: ResourceRef,
  body: Sent['body'],
  controller: AbortController,
  onData: () => void,
  release: () => void,
): WatchStream<T> {
  async function* events(): AsyncGenerator<WatchEvent<T>> {
    let buffer = '';
    body.setEncoding('utf8');
    try {
      for await (const chunk of body as AsyncIterable<string>) {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) yield parseWatchEvent<T>(cluster, ref, line);
        }
        onData();
      }
      if (buffer.trim()) yield parseWatchEvent<T>(cluster, ref, buffer.trim());
    } catch (err) {
      if (controller.signal.aborted) return;
      throw toClusterError(cluster, err);
    } finally {
      release();
      if (!body.destroyed) body.destroy();
    }
  }
  const iterable = events();
  return {
    [Symbol.asyncIterator]: () => iterable,
    close: () => controller.abort(),
  };
}

/** One line of a watch stream; objects get `apiVersion`/`kind` filled in. */
export function parseWatchEvent<T extends KubeObject>(cluster: string, ref: ResourceRef, line: string): WatchEvent<T> {
  let event: WatchEvent<T>;
  try {
    event = JSON.parse(line) as WatchEvent<T>;
  } catch {
    throw new ClusterError('UPSTREAM_ERROR', cluster, `cluster ${cluster}: malformed watch event`);
  }
  if (event.type !== 'ERROR' && event.type !== 'BOOKMARK' && event.object) withTypeMeta(ref, event.object as T);
  return event;
}
