// One cached API discovery per cluster: the API groups it serves (`GET /apis`), asked at most once per
// `ttlMs` whatever the number of requests (concurrent callers share one request). Served groups change
// when an operator is installed or removed, rarely: a minute is fresh enough for capabilities, and a
// warm answer costs 0 requests. A failure is not cached (the next caller asks again).
export interface DiscoveryClients {
  client(name: string): { apiGroups(options?: { signal?: AbortSignal }): Promise<string[]> };
}

export const DEFAULT_DISCOVERY_TTL_MS = 60_000;

export class ApiDiscovery {
  private readonly known = new Map<string, { groups: ReadonlySet<string>; expires: number }>();
  private readonly pending = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly clients: DiscoveryClients,
    private readonly ttlMs = DEFAULT_DISCOVERY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The API groups the cluster serves. Throws ClusterError when it cannot be asked. */
  async groups(cluster: string): Promise<ReadonlySet<string>> {
    const fresh = this.peek(cluster);
    if (fresh) return fresh;
    let request = this.pending.get(cluster);
    if (!request) {
      request = this.clients
        .client(cluster)
        .apiGroups()
        .then((names) => {
          const groups = new Set(names);
          this.known.set(cluster, { groups, expires: this.now() + this.ttlMs });
          return groups;
        })
        .finally(() => this.pending.delete(cluster));
      this.pending.set(cluster, request);
    }
    return request;
  }

  /** The cached groups while they are fresh, without asking; undefined when groups() would ask. */
  peek(cluster: string): ReadonlySet<string> | undefined {
    const cached = this.known.get(cluster);
    return cached && cached.expires > this.now() ? cached.groups : undefined;
  }

  /** Forgets a cluster (it left the fleet). */
  forget(cluster: string): void {
    this.known.delete(cluster);
  }
}
