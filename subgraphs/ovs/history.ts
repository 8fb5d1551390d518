// The recent pod-proxy reads of each node, in memory: what CPU % (two reads) and counter increases
// over the alert window (several reads) are computed from when there is no Prometheus. Bounded in age
// (`maxAgeMs`), in reads per node and in nodes (least recently read forgotten first).
import type { NodeOvsModel } from './models.js';

export interface NodeHistoryOptions {
  /** Reads older than this are dropped (default 15 min: three default counter windows). */
  maxAgeMs?: number;
  /** Reads kept per node (default 120). */
  perNode?: number;
  /** Nodes kept (default 4096). */
  nodes?: number;
  /** A rate compares with a read at least this much older (default 2 s: CPU seconds tick by 0.01). */
  minIntervalMs?: number;
}

export class NodeHistory {
  private readonly reads = new Map<string, NodeOvsModel[]>();
  private readonly maxAgeMs: number;
  private readonly perNode: number;
  private readonly capacity: number;
  private readonly minIntervalMs: number;

  constructor(options: NodeHistoryOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 2000;
    this.maxAgeMs = options.maxAgeMs ?? 15 * 60_000;
    this.perNode = options.perNode ?? 120;
    this.capacity = options.nodes ?? 4096;
  }

  private key(cluster: string, node: string): string {
    return `${cluster}\u0000${node}`;
  }

  /** The latest read at least minIntervalMs before this one (for a rate), then this read kept. */
  record(model: NodeOvsModel): NodeOvsModel | undefined {
    const key = this.key(model.clusterName, model.nodeName);
    const at = Date.parse(model.sampledAt);
    const list = (this.reads.get(key) ?? []).filter((m) => at - Date.parse(m.sampledAt) <= this.maxAgeMs && Date.parse(m.sampledAt) < at);
    const previous = list.filter((m) => at - Date.parse(m.sampledAt) >= this.minIntervalMs).at(-1);
    list.push(model);
    while (list.length > this.perNode) list.shift();
    this.reads.delete(key); // re-insert: Map order is recency
    this.reads.set(key, list);
    while (this.reads.size > this.capacity) this.reads.delete(this.reads.keys().next().value!);
    return previous;
  }

  /** A node's reads, oldest first. */
  of(cluster: string, node: string): readonly NodeOvsModel[] {
    return this.reads.get(this.key(cluster, node)) ?? [];
  }

  get size(): number {
    return this.reads.size;
  }
}
