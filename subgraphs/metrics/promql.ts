// PromQL instant queries against a Prometheus-compatible query API (Prometheus, Thanos Querier,
// Mimir …), plus the small helpers that build safe selectors from untrusted label values.
import type { MetricSample } from './types.js';
import { parseSampleValue } from './text-format.js';

/** A PromQL double-quoted string literal. */
export function promqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Escapes RE2 metacharacters so `value` matches itself literally inside a `=~` matcher. */
export function regexLiteral(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A regex matching exactly one of `values` (PromQL regex matchers are fully anchored). */
export function anyOfRegex(values: readonly string[]): string {
  return [...new Set(values)].sort().map(regexLiteral).join('|');
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

/** `{a="x", b=~"y|z"}` from matchers (label names are not escaped: they come from code, not users). */
export function vectorSelector(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.label}${m.op}${promqlString(m.value)}`).join(', ')}}`;
}

export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'timeout' | 'http' | 'query',
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface PrometheusClientOptions {
  /** Base URL of the query API, e.g. `https://prometheus-k8s.openshift-monitoring.svc:9091` or a Thanos Querier; may carry a path prefix. */
  url: string;
  /** Per-query deadline (default 5 s). */
  timeoutMs?: number;
  /** Extra request headers, e.g. `Authorization: Bearer …` for an OpenShift Thanos route. */
  headers?: Record<string, string>;
  /** For tests: a fetch implementation. */
  fetch?: typeof fetch;
}

export interface InstantQueryResult {
  samples: MetricSample[];
  /** The evaluation time Prometheus answered with (ms since epoch). */
  evaluatedAtMs: number;
}

interface ApiResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
}

type PromValue = [number, string];

function toSample(metric: Record<string, string>, value: PromValue): MetricSample {
  const { __name__: name = '', ...labels } = metric;
  return { name, labels, value: parseSampleValue(value[1]) ?? NaN, timestampMs: Math.round(value[0] * 1000) };
}

/** Maps the `data` of a query answer to samples: a vector as is, a matrix by its last point, a scalar as one unnamed sample. */
export function samplesOf(data: { resultType: string; result: unknown }): MetricSample[] {
  switch (data.resultType) {
    case 'vector':
      return (data.result as { metric: Record<string, string>; value: PromValue }[]).map((r) => toSample(r.metric, r.value));
    case 'matrix':
      return (data.result as { metric: Record<string, string>; values: PromValue[] }[])
        .filter((r) => r.values.length > 0)
        .map((r) => toSample(r.metric, r.values[r.values.length - 1]));
    case 'scalar':
      return [toSample({}, data.result as PromValue)];
    default:
      return [];
  }
}

/** The URL without user:password, for messages and the API's `endpoint` fields. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

export class PrometheusClient {
  /** The base URL without credentials. */
  readonly url: string;
  private readonly queryUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: PrometheusClientOptions) {
    const base = new URL(options.url);
    this.headers = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
    // fetch refuses URLs with credentials: move them into a Basic header.
    if (base.username || base.password) {
      const user = decodeURIComponent(base.username);
      const pass = decodeURIComponent(base.password);
      this.headers.authorization ??= `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      base.username = '';
      base.password = '';
    }
    const prefix = base.pathname.replace(/\/+$/, '');
    this.queryUrl = `${base.origin}${prefix}/api/v1/query`;
    this.url = displayUrl(options.url);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** One instant query (POST, so long selectors never hit URL length limits). */
  async instantQuery(query: string, options: { timeMs?: number; signal?: AbortSignal } = {}): Promise<InstantQueryResult> {
    const body = new URLSearchParams({ query });
    if (options.timeMs !== undefined) body.set('time', String(options.timeMs / 1000));
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let response: Response;
    try {
      response = await this.fetchImpl(this.queryUrl, { method: 'POST', headers: this.headers, body, signal });
    } catch (err) {
      if (deadline.aborted) throw new PrometheusQueryError(`Prometheus ${this.url}: no answer within ${this.timeoutMs} ms`, 'timeout', undefined, { cause: err });
      throw new PrometheusQueryError(`Prometheus ${this.url} unreachable: ${(err as Error).message}`, 'unreachable', undefined, { cause: err });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw new PrometheusQueryError(`Prometheus ${this.url}: answer cut (${(err as Error).message})`, deadline.aborted ? 'timeout' : 'unreachable', response.status, { cause: err });
    }
    let parsed: ApiResponse | undefined;
    try {
      parsed = JSON.parse(text) as ApiResponse;
    } catch {
      // a proxy or an auth gateway answered with something else than the API
    }
    if (!parsed || typeof parsed !== 'object') {
      throw new PrometheusQueryError(`Prometheus ${this.url}: HTTP ${response.status}: ${text.trim().slice(0, 200)}`, 'http', response.status);
    }
    if (parsed.status !== 'success' || !parsed.data) {
      throw new PrometheusQueryError(
        `Prometheus ${this.url}: ${parsed.errorType ?? 'error'}: ${parsed.error ?? `HTTP ${response.status}`}`,
        response.status >= 400 && response.status < 500 && response.status !== 422 ? 'http' : 'query',
        response.status,
      );
    }
    const samples = samplesOf(parsed.data);
    const evaluatedAtMs = samples[0]?.timestampMs ?? options.timeMs ?? Date.now();
    return { samples, evaluatedAtMs };
  }
}

/**
 * A `label=~"a|b|c"` matcher for a batch of values, or undefined when the batch is larger than
 * `max` (then one unfiltered query per cluster is cheaper than a huge regex).
 */
export function anyOfMatcher(label: string, values: readonly string[], max = 100): LabelMatcher | undefined {
  if (values.length === 0 || values.length > max) return undefined;
  return { label, op: '=~', value: anyOfRegex(values) };
}
