// /readyz: every subgraph answers its /healthz within a short deadline.
import { request } from 'undici';

export interface SubgraphReadiness {
  name: string;
  url: string;
  reachable: boolean;
  error?: string;
}

export async function checkSubgraphs(subgraphUrls: Record<string, string>, timeoutMs = 2000): Promise<SubgraphReadiness[]> {
  return Promise.all(
    Object.entries(subgraphUrls).map(async ([name, url]) => {
      const healthUrl = new URL('/healthz', url).toString();
      try {
        const res = await request(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
        await res.body.dump();
        return { name, url, reachable: res.statusCode === 200 };
      } catch (err) {
        return { name, url, reachable: false, error: (err as Error).message };
      }
    }),
  );
}
