// Shared metric sources for the domain subgraphs (timing, OVS, SR-IOV …): the Prometheus text parser,
// PromQL instant queries per cluster, and pod-proxy scrapes through the cluster client.
export type { MetricSample, MetricSourceKind, MetricRead } from './types.js';
export { parsePrometheusText, parseSampleValue, MetricParseError } from './text-format.js';
export type { ParsedMetrics, MetricFamilyInfo } from './text-format.js';
export { PrometheusClient, PrometheusQueryError, promqlString, regexLiteral, anyOfRegex, anyOfMatcher, vectorSelector, samplesOf, displayUrl } from './promql.js';
export type { LabelMatcher, MatchOp, PrometheusClientOptions, InstantQueryResult } from './promql.js';
export { PrometheusSource } from './prometheus-source.js';
export type { PrometheusFleet, PrometheusSourceOptions, PrometheusTarget, PrometheusQueryResult } from './prometheus-source.js';
export { scrapePod } from './pod-scraper.js';
export type { RawReader, ScrapeResult } from './pod-scraper.js';
export { metricSourceError } from './errors.js';
