// Watch streams: newline-delimited JSON events over a chunked 200 response, as kube-apiserver sends.
// - resourceVersion absent or "0": a synthetic ADDED per current object, then live events;
//   a given resourceVersion: the retained history after it, then live events; one older than the
//   history: a single ERROR event carrying a 410 Expired Status, then the stream ends (as the real
//   watch cache answers a too-old watch once the request is accepted).
// - selectors: an object that stops matching is sent as DELETED, one that starts matching as ADDED
//   (the real cacher does the same). Simplification: while replaying history the simulator does not
//   know whether an object matched at the start RV; it assumes so when its first replayed state matches.
// - BOOKMARK events (allowWatchBookmarks=true) come from one timer shared by every watch.
// - timeoutSeconds ends the stream; without it a random 30–60 min, like the real server's default.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindInfo } from '../kinds.js';
import type { KubeObject, StoreEvent } from '../types.js';
import { StoreError } from '../store.js';
import type { ServedCluster } from './served-cluster.js';
import { matchesFields, parseFieldSelector, type FieldSelector } from './field-selector.js';
import { matchesLabels, parseLabelSelector, type LabelSelector } from './label-selector.js';
import { objectKey } from './list.js';
import { badRequest, expired } from './status.js';

/** A client that reads slower than this many buffered bytes is cut off, as the real server does. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

class OpenWatch {
  private readonly known = new Map<string, KubeObject>();
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe?: () => void;
  private queue: Promise<void> = Promise.resolve();
  /** Events waiting in `queue` (slowStreamMs). */
  private queued = 0;
  private closed = false;

  constructor(
    readonly cluster: ServedCluster,
    readonly kind: KindInfo,
    private readonly namespace: string | undefined,
    private readonly labels: LabelSelector,
    private readonly fields: FieldSelector,
    readonly bookmarks: boolean,
    private readonly res: ServerResponse,
    private readonly onClose: (watch: OpenWatch) => void,
    /** How an object is written in ADDED/MODIFIED/DELETED events (a Table row when the client asked for Tables). */
    private readonly render: (obj: KubeObject) => object = (obj) => obj,
  ) {}

  private get filtered(): boolean {
    return this.labels.length > 0 || this.fields.length > 0;
  }

  private matches(obj: KubeObject): boolean {
    if (this.namespace !== undefined && obj.metadata.namespace !== this.namespace) return false;
    return matchesLabels(this.labels, obj.metadata.labels) && matchesFields(this.fields, obj);
  }

  start(rv: number | undefined, timeoutMs: number): void {
    this.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    this.res.flushHeaders();
    this.res.on('close', () => this.close());
    this.timers.push(setTimeout(() => this.close(), timeoutMs));
    const dropAfter = this.cluster.faults.dropWatchesAfterMs;
    if (dropAfter !== undefined && dropAfter >= 0) this.timers.push(setTimeout(() => this.close(), dropAfter));

    const store = this.cluster.store;
    let replay: StoreEvent[] = [];
    if (rv !== undefined && rv !== 0) {
      try {
        replay = store.eventsSince(this.kind.key, rv);
      } catch (err) {
        if (!(err instanceof StoreError) || err.code !== 410) throw err;
        this.send('ERROR', expired(err.message).toStatus());
        this.close();
        return;
      }
    }
    // subscribe before replaying: both happen in this tick, so no change can fall between them
    this.unsubscribe = store.subscribe(this.kind.key, (event) => this.onEvent(event));
    if (rv === undefined || rv === 0) {
      for (const obj of store.list(this.kind.key, this.namespace)) {
        if (!this.matches(obj)) continue;
        if (this.filtered) this.known.set(objectKey(obj), obj);
        this.send('ADDED', obj);
      }
      return;
    }
    if (this.filtered) this.assumeMatchingAt(replay);
    for (const event of replay) this.onEvent(event);
  }

  /**
   * Before a replay, guess which objects the client saw as matching at the start resourceVersion:
   * untouched objects by their current state, replayed ones by their first replayed state.
   */
  private assumeMatchingAt(replay: StoreEvent[]): void {
    const first = new Map<string, StoreEvent>();
    for (const event of replay) {
      const key = objectKey(event.object);
      if (!first.has(key)) first.set(key, event);
    }
    for (const obj of this.cluster.store.list(this.kind.key, this.namespace)) {
      const key = objectKey(obj);
      if (!first.has(key) && this.matches(obj)) this.known.set(key, obj);
    }
    for (const [key, event] of first) {
      if (event.type !== 'ADDED' && this.matches(event.object)) this.known.set(key, event.object);
    }
  }

  private onEvent(event: StoreEvent): void {
    if (this.closed) return;
    const obj = event.object;
    if (this.namespace !== undefined && obj.metadata.namespace !== this.namespace) return;
    if (!this.filtered) {
      this.send(event.type, obj);
      return;
    }
    const key = objectKey(obj);
    const previous = this.known.get(key);
    if (event.type === 'DELETED') {
      if (previous !== undefined) this.send('DELETED', obj);
      this.known.delete(key);
    } else if (this.matches(obj)) {
      this.known.set(key, obj);
      this.send(previous !== undefined ? 'MODIFIED' : 'ADDED', obj);
    } else if (previous !== undefined) {
      this.known.delete(key);
      // the object left the selector: the client sees it deleted, at the new resourceVersion
      this.send('DELETED', { ...previous, metadata: { ...previous.metadata, resourceVersion: obj.metadata.resourceVersion } });
    }
  }

  bookmark(): void {
    if (this.closed || !this.bookmarks) return;
    this.send('BOOKMARK', {
      kind: this.kind.kind,
      apiVersion: this.kind.apiVersion,
      metadata: { resourceVersion: String(this.cluster.store.resourceVersion) },
    });
  }

  private send(type: EventType, object: object): void {
    const rendered = type === 'BOOKMARK' || type === 'ERROR' ? object : this.render(object as KubeObject);
    const line = JSON.stringify({ type, object: rendered }) + '\n';
    const delay = this.cluster.faults.slowStreamMs;
    if (delay && delay > 0) {
      this.queued++;
      this.queue = this.queue
        .then(() => new Promise<void>((resolve) => setTimeout(resolve, delay)))
        .then(() => {
          this.queued--;
          this.write(line);
        });
    } else {
      this.write(line);
    }
  }

  private write(line: string): void {
    // not `closed`: events queued by slowStreamMs before the close are still written
    if (this.res.destroyed || this.res.writableEnded) return;
    this.res.write(line);
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    const end = (): void => {
      if (!this.res.writableEnded) this.res.end();
    };
    // queued (slow-stream) events are flushed before the end, as a real stream drains
    if (this.queued > 0) void this.queue.then(end);
    else end();
    this.onClose(this);
  }
}

export interface WatchRequest {
  cluster: ServedCluster;
  kind: KindInfo;
  namespace: string | undefined;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  render?: (obj: KubeObject) => object;
}

/** Every open watch of the simulator, by cluster; one bookmark timer for all of them. */
export class WatchHub {
  private readonly byCluster = new Map<string, Set<OpenWatch>>();
  private readonly timer: NodeJS.Timeout;

  constructor(bookmarkIntervalMs: number) {
    this.timer = setInterval(() => this.sendBookmarks(), bookmarkIntervalMs);
    this.timer.unref();
  }

  /** Validates the request (throws ApiError before any byte is written) and starts the stream. */
  open({ cluster, kind, namespace, query, res, render }: WatchRequest): void {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), kind);
    const rvParam = query.get('resourceVersion');
    if (rvParam && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resourceVersion: ${rvParam}`);
    const timeoutParam = query.get('timeoutSeconds');
    const timeoutSeconds = timeoutParam ? Number(timeoutParam) : 1800 * (1 + Math.random());
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw badRequest(`invalid timeoutSeconds: ${timeoutParam}`);
    const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';

    let set = this.byCluster.get(cluster.name);
    if (!set) this.byCluster.set(cluster.name, (set = new Set()));
    const watches = set;
    const watch = new OpenWatch(
      cluster,
      kind,
      namespace,
      labels,
      fields,
      bookmarks,
      res,
      (w) => {
        watches.delete(w);
        if (watches.size === 0) this.byCluster.delete(cluster.name);
      },
      render,
    );
    watches.add(watch);
    watch.start(rvParam ? Number(rvParam) : undefined, timeoutSeconds * 1000);
  }

  /** Ends every open watch of one cluster now; returns how many were open. */
  dropCluster(name: string): number {
    const set = this.byCluster.get(name);
    if (!set) return 0;
    const watches = [...set];
    for (const w of watches) w.close();
    return watches.length;
  }

  count(name?: string): number {
    if (name !== undefined) return this.byCluster.get(name)?.size ?? 0;
    let n = 0;
    for (const set of this.byCluster.values()) n += set.size;
    return n;
  }

  sendBookmarks(): void {
    for (const set of this.byCluster.values()) for (const w of set) w.bookmark();
  }

  closeAll(): void {
    clearInterval(this.timer);
    for (const name of [...this.byCluster.keys()]) this.dropCluster(name);
  }
}
