// /readyz: every subgraph answers its /healthz within a short deadline. Each subgraph's pre-warm
// progress (its watch caches across the fleet: synced, queued for the sync budget …) is passed on as it
// says it: a fleet still syncing is ready (queries answer synced clusters from cache and the rest with
// one LIST each), and an unreachable cluster must never keep the whole API out of service.
import { request } from 'undici';

export interface SubgraphReadiness {
  name: string;
  url: string;
  reachable: boolean;
  error?: string;
  /** The subgraph's pre-warm progress, when it reports one. */
  sync?: unknown;
}

export async function checkSubgraphs(subgraphUrls: Record<string, string>, timeoutMs = 2000): Promise<SubgraphReadiness[]> {
  return Promise.all(
    Object.entries(subgraphUrls).map(async ([name, url]) => {
      const healthUrl = new URL('/healthz', url).toString();
      try {
        const res = await request(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await res.body.json().catch(() => undefined)) as { sync?: unknown } | undefined;
        return { name, url, reachable: res.statusCode === 200, ...(body?.sync ? { sync: body.sync } : {}) };
      } catch (err) {
        return { name, url, reachable: false, error: (err as Error).message };
      }
    }),
  );
}
