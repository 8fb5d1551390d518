// deploy/grafana/fleetgraph.json: generated from scripts/grafana-dashboard.ts (typed by Grafana's own
// dashboard schema, @grafana/schema, which `npm run typecheck` checks), not stale, and loading as a
// dashboard: the schema's required fields, panels on the 24-column grid without overlaps, unique ids,
// every query's data source the dashboard's variable, and every query valid PromQL (promtool's parser,
// after Grafana's own variables are substituted). test/integration/operating-metrics.test.ts checks
// that each metric it names is exported.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
import { stringify } from 'yaml';
import { DASHBOARD_PATH, dashboardExpressions, dashboardFile } from '../../scripts/grafana-dashboard.js';

const text = readFileSync(DASHBOARD_PATH, 'utf8');
const dashboard = JSON.parse(text) as Dashboard;
const panels = (dashboard.panels ?? []) as (Panel | RowPanel)[];

describe('the Grafana dashboard', () => {
  it('is what `npm run compose` generates', () => {
    expect(text).toBe(dashboardFile());
  });

  it('loads as a dashboard: schema fields, grid, ids, data sources', () => {
    expect(typeof dashboard.schemaVersion).toBe('number');
    expect(dashboard.uid).toBe('fleetgraph');
    expect(dashboard.templating?.list?.map((v) => v.name)).toEqual(['datasource', 'job']);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const g = p.gridPos!;
      expect({ title: p.title, fits: g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0 }).toEqual({ title: p.title, fits: true });
      for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
        expect({ title: p.title, overlaps: cells.has(`${x},${y}`) }).toEqual({ title: p.title, overlaps: false });
        cells.add(`${x},${y}`);
      }
      if (p.type === 'row') continue;
      const panel = p as Panel;
      expect(['timeseries', 'stat', 'table']).toContain(panel.type);
      expect(panel.datasource?.uid).toBe('${datasource}');
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const t of panel.targets ?? []) expect((t.datasource as { uid?: string } | undefined)?.uid).toBe('${datasource}');
    }
  });

  const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
  if (!promtool) process.stderr.write('skipping the dashboard PromQL check: no promtool on PATH (Debian package prometheus; .ci/run installs it)\n');
  (promtool ? it : it.skip)('has valid PromQL in every query (promtool)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleetgraph-dashboard-'));
    try {
      // As Grafana would send them: its variables replaced by values.
      const rules = dashboardExpressions().map((expr, i) => ({ record: `fleetgraph:dashboard_query_${i}`, expr: expr.replaceAll('$__rate_interval', '5m').replaceAll('$job', '.*') }));
      const file = path.join(dir, 'queries.yaml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      expect(execFileSync(promtool, ['check', 'rules', file], { encoding: 'utf8' })).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
