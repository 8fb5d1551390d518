// Shapes shared by every metric source (Prometheus text pages, PromQL answers): one sample of one
// series, and where/when a batch of samples was read.

export interface MetricSample {
  /** Metric name (`__name__`). */
  name: string;
  /** Every label except `__name__`. */
  labels: Readonly<Record<string, string>>;
  value: number;
  /** Sample time in ms since epoch: the exposition's timestamp, or PromQL's evaluation time; absent when the page gave none. */
  timestampMs?: number;
}

/** Where metric values came from: a Prometheus/Thanos query API, or the exporter itself through the API server's pod proxy. */
export type MetricSourceKind = 'PROMETHEUS' | 'POD_PROXY';

export interface MetricRead {
  source: MetricSourceKind;
  /** When the values were read (ISO-8601): the scrape's answer time, or the PromQL evaluation time. */
  readAt: string;
  /** The Prometheus URL or the proxy path that answered (never credentials). */
  endpoint: string;
}
