// OpenTelemetry traces for every fleetgraph process: W3C trace context in and out of each HTTP hop,
// spans exported over OTLP/HTTP (JSON) in batches. Started once per process by its entry point from
// TracingConfig (lib/config.ts: the standard OTEL_* variables). Off by default, and then `inSpan` is a
// plain call and `injectTraceContext` does nothing: no span objects, no context switches.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './config.js';

export { SpanKind, type Attributes, type Span } from '@opentelemetry/api';

const TRACER = 'fleetgraph';
let provider: NodeTracerProvider | undefined;

/** Traces are being recorded in this process. */
export function tracingEnabled(): boolean {
  return provider !== undefined;
}

export interface Tracing {
  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void>;
}

function samplerOf(config: TracingConfig['sampler']): Sampler {
  const root = config.root === 'always_off' ? new AlwaysOffSampler() : config.root === 'traceidratio' ? new TraceIdRatioBasedSampler(config.ratio) : new AlwaysOnSampler();
  return config.parentBased ? new ParentBasedSampler({ root }) : root;
}

/** Registers the process's tracer provider when `config.enabled`; a no-op otherwise. */
export function startTracing(config: TracingConfig): Tracing {
  if (!config.enabled || provider) return { shutdown: async () => undefined };
  const exporter = new OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: config.exportTimeoutMs });
  const own = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName }),
    sampler: samplerOf(config.sampler),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: config.scheduleDelayMs })],
  });
  own.register({ propagator: new W3CTraceContextPropagator() });
  provider = own;
  return {
    async shutdown() {
      if (provider !== own) return;
      provider = undefined;
      await own.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Runs `fn` in a span (its child spans nest under it) and ends it when `fn` settles; a thrown error
 * marks the span failed. With tracing off, just `fn(undefined)`.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (!provider) return fn(undefined);
  return trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A span the caller ends (e.g. at an HTTP response's finish), under `parent` (default: the active context). */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind, parent?: Context): { span: Span; context: Context } | undefined {
  if (!provider) return undefined;
  const base = parent ?? context.active();
  const span = trace.getTracer(TRACER).startSpan(name, { kind, attributes }, base);
  return { span, context: trace.setSpan(base, span) };
}

export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** The active span, if tracing is on and one is active. */
export function activeSpan(): Span | undefined {
  return provider ? trace.getActiveSpan() : undefined;
}

/** Adds `traceparent` (and `tracestate`) of the active span to outgoing headers. */
export function injectTraceContext(carrier: Record<string, string> | { set(name: string, value: string): void }): void {
  if (!provider) return;
  const setter = 'set' in carrier && typeof carrier.set === 'function'
    ? { set: (c: typeof carrier, k: string, v: string) => (c as { set(name: string, value: string): void }).set(k, v) }
    : { set: (c: typeof carrier, k: string, v: string) => void ((c as Record<string, string>)[k] = v) };
  propagation.inject(context.active(), carrier, setter);
}

/** The caller's trace context from incoming headers (W3C traceparent). */
export function extractTraceContext(headers: Readonly<Record<string, string | string[] | undefined>>): Context {
  return propagation.extract(context.active(), headers);
}

/**
 * Runs `fn` outside any trace: for long-lived background work a request happens to start (a watch
 * cache's list/watch loop, a poll feed), whose spans must not hang under that request for hours.
 */
export function detached<T>(fn: () => T): T {
  return provider ? context.with(ROOT_CONTEXT, fn) : fn();
}

/** Runs `fn` with `ctx` active (so spans started inside are its children). */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}
