// deploy/grafana/fleetgraph.json: the Grafana dashboard of fleetgraph itself, built here as a value of
// Grafana's own dashboard schema types (@grafana/schema: `npm run typecheck` checks it) and written by
// `npm run compose`; a test fails when the JSON is stale, when a query is not valid PromQL (promtool),
// or when it names a metric no fleetgraph process exports.
import type { Dashboard, DataSourceRef, Panel, RowPanel } from '@grafana/schema';

const DS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
/** Every query is narrowed to the chosen fleetgraph jobs. */
const SEL = 'job=~"$job"';

interface PanelSpec {
  title: string;
  description: string;
  exprs: [legend: string, expr: string][];
  unit?: string;
  kind?: 'timeseries' | 'stat' | 'table';
  width?: number;
}

export const DASHBOARD_PATH = 'deploy/grafana/fleetgraph.json';

const ROWS: [title: string, panels: PanelSpec[]][] = [
  [
    'Gateway',
    [
      { title: 'Operations', description: 'HTTP GraphQL operations per second by outcome', unit: 'reqps', exprs: [['{{outcome}}', `sum by (outcome) (rate(fleetgraph_gateway_operations_total{${SEL}}[$__rate_interval]))`]] },
      {
        title: 'Operation latency',
        description: 'p50 and p99 time to answer an operation',
        unit: 's',
        exprs: [
          ['p50', `histogram_quantile(0.5, sum by (le) (rate(fleetgraph_gateway_operation_seconds_bucket{${SEL}}[$__rate_interval])))`],
          ['p99', `histogram_quantile(0.99, sum by (le) (rate(fleetgraph_gateway_operation_seconds_bucket{${SEL}}[$__rate_interval])))`],
        ],
      },
      {
        title: 'Subscriptions',
        description: 'Open subscriptions, graphql-ws connections and upstream subscriptions (one per distinct operation)',
        exprs: [
          ['subscriptions', `sum(fleetgraph_subscriptions_active{${SEL}})`],
          ['connections', `sum(fleetgraph_ws_connections{${SEL}})`],
          ['upstream', `sum(fleetgraph_upstream_subscriptions_active{${SEL}})`],
        ],
      },
      {
        title: 'Subscription fan-out',
        description: 'p99 from an event reaching the gateway to every subscriber having it; slow subscribers dropped',
        exprs: [
          ['fan-out p99 (s)', `histogram_quantile(0.99, sum by (le) (rate(fleetgraph_subscription_fanout_seconds_bucket{${SEL}}[$__rate_interval])))`],
          ['slow consumers dropped', `sum(increase(fleetgraph_ws_slow_consumer_disconnects_total{${SEL}}[$__rate_interval]))`],
        ],
      },
    ],
  ],
  [
    'Clusters',
    [
      { title: 'Clusters reachable', description: 'Clusters whose API server answered the last call of some fleetgraph process', kind: 'stat', width: 4, exprs: [['reachable', `count(max by (cluster) (fleetgraph_cluster_up{${SEL}}) == 1)`]] },
      { title: 'Clusters unreachable', description: 'Clusters no fleetgraph process reaches', kind: 'stat', width: 4, exprs: [['unreachable', `count(max by (cluster) (fleetgraph_cluster_up{${SEL}}) == 0) or vector(0)`]] },
      { title: 'Circuits open', description: 'Clusters whose breaker refuses calls', kind: 'stat', width: 4, exprs: [['open', `count(max by (cluster) (fleetgraph_cluster_circuit_open{${SEL}}) == 1) or vector(0)`]] },
      { title: 'Unreachable clusters', description: 'Which clusters, and since when they last answered', kind: 'table', width: 12, exprs: [['', `max by (cluster) (fleetgraph_cluster_last_contact_timestamp_seconds{${SEL}}) and on (cluster) (max by (cluster) (fleetgraph_cluster_up{${SEL}}) == 0)`]] },
      { title: 'API requests by verb', description: 'Kubernetes API requests per second, by verb', unit: 'reqps', exprs: [['{{verb}}', `sum by (verb) (rate(fleetgraph_kube_requests_total{${SEL}}[$__rate_interval]))`]] },
      { title: 'API request latency by kind', description: 'p99 time to response headers, by verb and kind', unit: 's', exprs: [['{{verb}} {{kind}}', `histogram_quantile(0.99, sum by (le, verb, kind) (rate(fleetgraph_kube_request_seconds_bucket{${SEL}}[$__rate_interval])))`]] },
      { title: 'Failing API requests by cluster', description: 'No answer (code 0) or 5xx, per second, top 10 clusters', unit: 'reqps', exprs: [['{{cluster}}', `topk(10, sum by (cluster) (rate(fleetgraph_kube_requests_total{${SEL},code=~"0|5.."}[$__rate_interval])))`]] },
      { title: 'Slowest clusters', description: 'Latency of the last answered call, top 10', unit: 's', exprs: [['{{cluster}}', `topk(10, max by (cluster) (fleetgraph_cluster_latency_seconds{${SEL}}))`]] },
    ],
  ],
  [
    'Caches and watches',
    [
      {
        title: 'Cache hit ratio',
        description: 'Loader reads answered from a watch cache or the shared list cache, of all reads',
        unit: 'percentunit',
        exprs: [['{{kind}}', `sum by (kind) (rate(fleetgraph_kube_reads_total{${SEL},source=~"watch_cache|list_cache"}[$__rate_interval])) / sum by (kind) (rate(fleetgraph_kube_reads_total{${SEL}}[$__rate_interval]))`]],
      },
      { title: 'Watch caches not synced', description: 'Caches (cluster × kind) that have not completed their list', kind: 'stat', width: 6, exprs: [['not synced', `count(min by (cluster, kind) (fleetgraph_watch_cache_synced{${SEL}}) == 0) or vector(0)`]] },
      { title: 'Watch staleness by kind', description: 'Longest time since a watch cache of the kind last heard from its server', unit: 's', width: 18, exprs: [['{{kind}}', `max by (kind) (fleetgraph_watch_cache_staleness_seconds{${SEL}})`]] },
    ],
  ],
  [
    'Subgraphs',
    [
      { title: 'Subgraph operations', description: 'Query-plan fetches answered per second by subgraph and outcome', unit: 'reqps', exprs: [['{{subgraph}} {{outcome}}', `sum by (subgraph, outcome) (rate(fleetgraph_subgraph_operations_total{${SEL}}[$__rate_interval]))`]] },
      { title: 'Subgraph latency', description: 'p99 per subgraph', unit: 's', exprs: [['{{subgraph}}', `histogram_quantile(0.99, sum by (le, subgraph) (rate(fleetgraph_subgraph_operation_seconds_bucket{${SEL}}[$__rate_interval])))`]] },
      { title: 'Subgraph subscriptions', description: 'Open graphql-ws subscriptions per subgraph (the gateway\'s upstream ones)', exprs: [['{{subgraph}}', `sum by (subgraph) (fleetgraph_subgraph_subscriptions{${SEL}})`]] },
      {
        title: 'PromQL queries',
        description: 'PromQL queries per second by outcome, and p99 latency',
        exprs: [
          ['{{outcome}} /s', `sum by (outcome) (rate(fleetgraph_promql_queries_total{${SEL}}[$__rate_interval]))`],
          ['p99 (s)', `histogram_quantile(0.99, sum by (le) (rate(fleetgraph_promql_query_seconds_bucket{${SEL}}[$__rate_interval])))`],
        ],
      },
    ],
  ],
  [
    'Processes',
    [
      {
        title: 'Resident memory',
        description: 'RSS of every fleetgraph process',
        unit: 'bytes',
        exprs: [
          ['gateway {{instance}}', `fleetgraph_gateway_process_resident_memory_bytes{${SEL}}`],
          ['subgraph {{instance}}', `fleetgraph_subgraph_process_resident_memory_bytes{${SEL}}`],
        ],
      },
      {
        title: 'Event loop lag',
        description: 'p99 event-loop delay: a busy process answers everything late',
        unit: 's',
        exprs: [
          ['gateway {{instance}}', `fleetgraph_gateway_nodejs_eventloop_lag_p99_seconds{${SEL}}`],
          ['subgraph {{instance}}', `fleetgraph_subgraph_nodejs_eventloop_lag_p99_seconds{${SEL}}`],
        ],
      },
    ],
  ],
];

function panel(spec: PanelSpec, id: number, x: number, y: number): Panel {
  const width = spec.width ?? 12;
  return {
    id,
    type: spec.kind ?? 'timeseries',
    title: spec.title,
    description: spec.description,
    datasource: DS,
    gridPos: { x, y, w: width, h: spec.kind === 'stat' ? 4 : 8 },
    fieldConfig: { defaults: spec.unit ? { unit: spec.unit } : {}, overrides: [] },
    options: {},
    targets: spec.exprs.map(([legendFormat, expr], i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DS,
      expr,
      legendFormat,
      ...(spec.kind === 'table' ? { format: 'table', instant: true } : {}),
    })),
  };
}

export function fleetgraphDashboard(): Dashboard {
  const panels: (Panel | RowPanel)[] = [];
  let id = 1;
  let y = 0;
  for (const [title, specs] of ROWS) {
    panels.push({ id: id++, type: 'row', title, collapsed: false, gridPos: { x: 0, y: y++, w: 24, h: 1 }, panels: [] });
    let x = 0;
    let rowHeight = 0;
    for (const spec of specs) {
      const p = panel(spec, id++, x, y);
      if (x + p.gridPos!.w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
        p.gridPos = { ...p.gridPos!, x: 0, y };
      }
      panels.push(p);
      x += p.gridPos!.w;
      rowHeight = Math.max(rowHeight, p.gridPos!.h);
    }
    y += rowHeight;
  }
  return {
    uid: 'fleetgraph',
    title: 'fleetgraph',
    description: 'fleetgraph itself: the gateway, the subgraphs, the clusters they read, their caches and watches',
    tags: ['fleetgraph'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    annotations: { list: [] },
    links: [],
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0 },
        {
          name: 'job',
          label: 'Job',
          type: 'query',
          datasource: DS,
          query: { query: 'label_values(fleetgraph_kube_requests_total, job)', refId: 'job' },
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
          refresh: 2,
          hide: 0,
        },
      ],
    },
    panels,
  };
}

/** Every PromQL expression of the dashboard (for the test's checks). */
export function dashboardExpressions(dashboard: Dashboard = fleetgraphDashboard()): string[] {
  return (dashboard.panels ?? []).flatMap((p) => ('targets' in p && p.targets ? p.targets.map((t) => String((t as { expr?: string }).expr)) : []));
}

export function dashboardFile(): string {
  return JSON.stringify(fleetgraphDashboard(), null, 2) + '\n';
}
