// lib/config.ts: the one place that reads the environment. Defaults, the names of earlier releases,
// and bad values refused with a message that names the variable.
import { ConfigError, readGatewayConfig, readSubgraphConfig, subscriptionLimitsFrom, tracingFrom } from '../../lib/config.js';
import { DEFAULT_LIMITS } from '../../gateway/subscriptions/options.js';

const DOMAINS = [
  { name: 'fleet', port: 4001 },
  { name: 'timing', port: 4002 },
];

describe('gateway config', () => {
  it('defaults: loopback, port 4000, introspection off, in-flight dedup on, subgraphs at their manifest ports', () => {
    const config = readGatewayConfig(DOMAINS, {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 4000, introspection: false, inflightDedup: true, redisUrl: undefined });
    expect(config.subgraphUrls).toEqual({ fleet: 'http://127.0.0.1:4001/graphql', timing: 'http://127.0.0.1:4002/graphql' });
  });

  it('SUBGRAPH_<NAME>_URL, INTROSPECTION, GATEWAY_INFLIGHT_DEDUP, REDIS_URL', () => {
    const config = readGatewayConfig(DOMAINS, { SUBGRAPH_TIMING_URL: 'http://timing:4002/graphql', INTROSPECTION: 'true', GATEWAY_INFLIGHT_DEDUP: '0', REDIS_URL: 'redis://r:6379', PORT: '0' });
    expect(config.subgraphUrls.timing).toBe('http://timing:4002/graphql');
    expect(config).toMatchObject({ introspection: true, inflightDedup: false, redisUrl: 'redis://r:6379', port: 0 });
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => readGatewayConfig(DOMAINS, { PORT: '70000' })).toThrow(ConfigError);
    expect(() => readGatewayConfig(DOMAINS, { PORT: 'abc' })).toThrow(/PORT/);
    expect(() => readGatewayConfig(DOMAINS, { INTROSPECTION: 'maybe' })).toThrow(/INTROSPECTION must be true or false/);
    expect(() => readGatewayConfig(DOMAINS, { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });
});

describe('subscription limits (WS_*)', () => {
  it('reads WS_* variables and leaves the rest to the defaults', () => {
    expect(subscriptionLimitsFrom({ WS_MAX_SUBSCRIPTIONS: '10000', WS_IDLE_TIMEOUT_MS: '0', OTHER: '1' })).toEqual({
      maxSubscriptions: 10_000,
      idleTimeoutMs: 0,
    });
    expect(DEFAULT_LIMITS.maxSubscriptionsPerConnection).toBeGreaterThan(0);
  });

  it('rejects values that are not non-negative numbers', () => {
    expect(() => subscriptionLimitsFrom({ WS_MAX_PAYLOAD_BYTES: '64k' })).toThrow('WS_MAX_PAYLOAD_BYTES must be a number ≥ 0, got "64k"');
    expect(() => subscriptionLimitsFrom({ WS_MAX_CONNECTIONS: '-1' })).toThrow(/WS_MAX_CONNECTIONS/);
  });
});

describe('subgraph config', () => {
  it('fleet from flags over the environment; domain settings with their defaults', () => {
    const config = readSubgraphConfig(['--kubeconfig', 'a.yaml', '--kubeconfig=b.yaml', '--context', 'du-001,du-002'], {
      KUBECONFIG: 'ignored.yaml',
      FLEET_FILE: 'fleet.yaml',
    });
    expect(config.fleet).toEqual({ kubeconfigPaths: ['a.yaml', 'b.yaml'], fleetFilePath: 'fleet.yaml', contexts: ['du-001', 'du-002'], deadlineMs: undefined });
    expect(config.domain).toEqual({ pollIntervalMs: 1000, proxyConcurrency: 16, listCacheTtlMs: 0 });
    expect(config.port).toBeUndefined();
  });

  it('KUBECONFIG as a path list, KUBE_CONTEXTS, CLUSTER_DEADLINE_MS', () => {
    const config = readSubgraphConfig([], { KUBECONFIG: 'a.yaml:b.yaml', KUBE_CONTEXTS: 'x, y', CLUSTER_DEADLINE_MS: '1500' });
    expect(config.fleet).toEqual({ kubeconfigPaths: ['a.yaml', 'b.yaml'], fleetFilePath: undefined, contexts: ['x', 'y'], deadlineMs: 1500 });
  });

  it('POLL_INTERVAL_MS / PROXY_CONCURRENCY, and the names of earlier releases', () => {
    expect(readSubgraphConfig([], { POLL_INTERVAL_MS: '250', PROXY_CONCURRENCY: '4', LIST_CACHE_TTL_MS: '2000' }).domain).toEqual({
      pollIntervalMs: 250,
      proxyConcurrency: 4,
      listCacheTtlMs: 2000,
    });
    expect(readSubgraphConfig([], { PTP_POLL_INTERVAL_MS: '100', DPDK_TELEMETRY_CONCURRENCY: '8' }).domain).toMatchObject({ pollIntervalMs: 100, proxyConcurrency: 8 });
    expect(() => readSubgraphConfig([], { PROXY_CONCURRENCY: '0' })).toThrow(/PROXY_CONCURRENCY must be an integer ≥ 1/);
    expect(() => readSubgraphConfig([], { POLL_INTERVAL_MS: 'fast' })).toThrow(/POLL_INTERVAL_MS/);
  });
});

describe('OpenTelemetry settings (OTEL_*)', () => {
  it('are off by default, and on with an OTLP endpoint', () => {
    expect(tracingFrom({}, 'fleetgraph-gateway')).toMatchObject({ enabled: false, serviceName: 'fleetgraph-gateway' });
    expect(tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'x')).toMatchObject({ enabled: true, url: 'http://collector:4318/v1/traces' });
    expect(tracingFrom({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' }, 'x')).toMatchObject({ enabled: true, url: 'http://c:4318/custom' });
    expect(tracingFrom({ OTEL_TRACES_EXPORTER: 'otlp' }, 'x')).toMatchObject({ enabled: true, url: 'http://localhost:4318/v1/traces' });
    expect(tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }, 'x').enabled).toBe(false);
    expect(tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }, 'x').enabled).toBe(false);
  });

  it('reads the service name, headers, resource attributes, sampler and batch delay', () => {
    const config = tracingFrom(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_SERVICE_NAME: 'fg-east',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=noc',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,k8s.namespace.name=fleetgraph',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      'x',
    );
    expect(config).toMatchObject({
      serviceName: 'fg-east',
      headers: { authorization: 'Bearer abc', 'x-tenant': 'noc' },
      resourceAttributes: { 'deployment.environment': 'prod', 'k8s.namespace.name': 'fleetgraph' },
      sampler: { root: 'traceidratio', parentBased: true, ratio: 0.25 },
      scheduleDelayMs: 200,
    });
  });

  it('refuses what it cannot do, naming the variable', () => {
    expect(() => tracingFrom({ OTEL_TRACES_EXPORTER: 'jaeger' }, 'x')).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(() => tracingFrom({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'x')).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL.*http\/json/);
    expect(() => tracingFrom({ OTEL_TRACES_SAMPLER: 'sometimes' }, 'x')).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => tracingFrom({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }, 'x')).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => tracingFrom({ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'x')).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
    expect(() => tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'x')).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('each process names itself: the gateway and each subgraph by its domain', () => {
    expect(readGatewayConfig([], {}).tracing.serviceName).toBe('fleetgraph-gateway');
    expect(readSubgraphConfig(['timing', '--context', 'du-001'], { HOME: '/nonexistent' }).tracing.serviceName).toBe('fleetgraph-timing');
  });
});
