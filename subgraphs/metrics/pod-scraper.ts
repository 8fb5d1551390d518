// Reads an exporter's Prometheus page through the API server's pod (or service) proxy:
// `/api/v1/namespaces/NS/pods/POD:PORT/proxy/metrics`. One request per pod: the fallback when no
// Prometheus is configured, and the way to read instant values Prometheus does not keep.
import type { CallOptions } from '../kube/client.js';
import { proxyPath, type ProxyTarget } from '../kube/resources.js';
import { metricSourceError } from './errors.js';
import { parsePrometheusText } from './text-format.js';
import type { MetricRead, MetricSample } from './types.js';

/** What the scraper needs of a cluster client (ClusterClient has it). */
export interface RawReader {
  readonly name: string;
  getRaw(path: string, options?: CallOptions & { accept?: string }): Promise<string>;
}

export interface ScrapeResult {
  samples: MetricSample[];
  read: MetricRead;
}

const ACCEPT = 'text/plain;version=0.0.4;q=1, */*;q=0.1';

/**
 * One scrape. `filter` keeps only the samples wanted (e.g. a metric prefix) before anything else holds
 * them. Failures are ClusterErrors: the API server's own codes (404 pod gone, 503 no endpoint) or
 * UPSTREAM_ERROR for a page that does not parse.
 */
export async function scrapePod(
  client: RawReader,
  target: ProxyTarget,
  options: CallOptions & { filter?: (sample: MetricSample) => boolean; now?: () => number } = {},
): Promise<ScrapeResult> {
  const path = proxyPath(target);
  const text = await client.getRaw(path, { signal: options.signal, accept: ACCEPT });
  const readAt = new Date((options.now ?? Date.now)()).toISOString();
  let samples: MetricSample[];
  try {
    samples = parsePrometheusText(text).samples;
  } catch (err) {
    throw metricSourceError(client.name, err);
  }
  return { samples: options.filter ? samples.filter(options.filter) : samples, read: { source: 'POD_PROXY', readAt, endpoint: path } };
}
