// The Prometheus alerting rules of deploy/prometheus: valid (`promtool check rules`) and doing what they
// say on synthetic series (`promtool test rules`: each alert fires on the case it is about, with its
// labels and annotations, and stays quiet on healthy series). promtool comes with Debian's prometheus
// package (.ci/run installs it); skipped with the reason where it is absent.
import { execFile, spawnSync } from 'node:child_process';
import { describeIf } from '../helpers/skip.js';

const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
const describeRules = describeIf(promtool ? undefined : 'no promtool on PATH (Debian package prometheus; .ci/run installs it)', 'the alert rule tests');

const run = (args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(promtool, args, { cwd: 'deploy/prometheus' }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
  });

describeRules('fleetgraph alerting rules', () => {
  it('are valid rules', async () => {
    const { code, out } = await run(['check', 'rules', 'fleetgraph-alerts.yaml']);
    expect(out).toContain('SUCCESS: 8 rules found');
    expect(code).toBe(0);
  });

  it('pass their unit tests (promtool test rules)', async () => {
    const { code, out } = await run(['test', 'rules', 'fleetgraph-alerts.test.yaml']);
    expect(out).toContain('SUCCESS');
    expect(code).toBe(0);
  });

  it('cover unreachable clusters, open breakers, lagging watches and subscription backlog', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync('deploy/prometheus/fleetgraph-alerts.yaml', 'utf8');
    for (const alert of ['FleetgraphClusterUnreachable', 'FleetgraphCircuitOpen', 'FleetgraphWatchLagging', 'FleetgraphSubscriptionBacklog']) expect(text).toContain(`alert: ${alert}`);
    // every alert has a test case that expects it to fire
    const tests = readFileSync('deploy/prometheus/fleetgraph-alerts.test.yaml', 'utf8');
    for (const [, alert] of text.matchAll(/alert: (\w+)/g)) expect(tests).toContain(`alertname: ${alert}`);
  });
});
