// PTP scenarios on the linuxptp-daemon telemetry (metrics only: PTP state lives in the daemon, not in
// Kubernetes objects). Timings follow each node's PtpConfig profile: HOLDOVER lasts its
// ptpClockThreshold.holdOverTimeout, excursions default to 3 × maxOffsetThreshold.
import type { SimCluster } from '../cluster.js';
import { telemetryFor } from '../exporters/telemetry.js';
import type { PtpNodeTelemetry } from '../exporters/ptp.js';
import { optionalNumber, optionalString, ParamError, targetClusters, timeScaleOf, type Params } from './params.js';
import type { ScenarioContext, ScenarioDefinition } from './scenario.js';

interface PtpTarget {
  cluster: SimCluster;
  node: string;
  ptp: PtpNodeTelemetry;
}

function ptpTargets(ctx: ScenarioContext, params: Params): PtpTarget[] {
  const clusters = targetClusters(ctx.runtime, params, { roles: ['edge', 'regional'] });
  const node = optionalString(params, 'node');
  const targets: PtpTarget[] = [];
  for (const cluster of clusters) {
    const tel = telemetryFor(cluster, () => ctx.runtime.now());
    const nodes = node !== undefined ? [node] : tel.ptpNodeNames();
    for (const n of nodes) {
      const ptp = tel.ptp(n);
      if (ptp) targets.push({ cluster, node: n, ptp });
      else if (node !== undefined) throw new ParamError(`node "${n}" of cluster "${cluster.name}" runs no PTP profile`);
    }
  }
  if (targets.length === 0) throw new ParamError(`no PTP nodes in ${clusters.map((c) => c.name).join(', ')} (no PTP operator there?)`);
  return targets;
}

export const ptpGmLoss: ScenarioDefinition = {
  name: 'ptp-gm-loss',
  description:
    'The upstream grandmaster (GNSS on a T-GM) is lost: LOCKED → HOLDOVER at once, HOLDOVER → FREERUN after the profile\'s holdOverTimeout, back to LOCKED after recoverAfterSeconds.',
  params: ['cluster | clusters | region', 'node?', 'recoverAfterSeconds? (default holdOverTimeout + 30)', 'timeScale?'],
  start(ctx, params) {
    const timeScale = timeScaleOf(params);
    const recoverAfter = params.recoverAfterSeconds === undefined ? undefined : optionalNumber(params, 'recoverAfterSeconds', 0, { min: 0.001 });
    const targets = ptpTargets(ctx, params);
    const now = ctx.now();
    let last = now;
    for (const t of targets) {
      const holdOverTimeout = t.ptp.config!.thresholds.holdOverTimeout;
      const recoverAt = now + ((recoverAfter ?? holdOverTimeout + 30) * 1000) / timeScale;
      t.ptp.loseGrandmaster(now, (holdOverTimeout * 1000) / timeScale, recoverAt);
      last = Math.max(last, recoverAt);
    }
    ctx.at(last, () => undefined);
    ctx.onCancel(() => {
      for (const t of targets) t.ptp.recoverGrandmaster(ctx.now());
    });
  },
};

export const ptpOffsetExcursion: ScenarioDefinition = {
  name: 'ptp-offset-excursion',
  description: 'The clock offset leaves the profile\'s maxOffsetThreshold for a while (events mode reports FREERUN meanwhile).',
  params: ['cluster | clusters | region', 'node?', 'seconds? (default 30)', 'offsetNs? (default 3 × maxOffsetThreshold)', 'timeScale?'],
  start(ctx, params) {
    const timeScale = timeScaleOf(params);
    const seconds = optionalNumber(params, 'seconds', 30, { min: 0.001 });
    const offset = params.offsetNs === undefined ? undefined : optionalNumber(params, 'offsetNs', 0);
    const targets = ptpTargets(ctx, params);
    const now = ctx.now();
    for (const t of targets) {
      t.ptp.offsetExcursion(now, (seconds * 1000) / timeScale, offset ?? 3 * t.ptp.config!.thresholds.maxOffsetThreshold);
    }
    ctx.after(seconds, () => undefined);
    ctx.onCancel(() => {
      for (const t of targets) t.ptp.endExcursions(ctx.now());
    });
  },
};

export const ptpDaemonRestart: ScenarioDefinition = {
  name: 'ptp-daemon-restart',
  description: 'linuxptp processes go DOWN (process_status 0) and come back UP after downSeconds (restart_count + 1).',
  params: ['cluster | clusters | region', 'node?', 'process? (ptp4l | phc2sys | ts2phc; default all)', 'downSeconds? (default 5)', 'timeScale?'],
  start(ctx, params) {
    const timeScale = timeScaleOf(params);
    const downSeconds = optionalNumber(params, 'downSeconds', 5, { min: 0.001 });
    const process = optionalString(params, 'process');
    const targets = ptpTargets(ctx, params);
    const now = ctx.now();
    for (const t of targets) {
      const processes = t.ptp.processes().map((p) => p.process);
      if (process !== undefined && !processes.includes(process)) {
        throw new ParamError(`"process" must be one of ${processes.join(', ')} on ${t.cluster.name}/${t.node}`);
      }
    }
    for (const t of targets) {
      for (const p of t.ptp.processes()) {
        if (process === undefined || p.process === process) t.ptp.restartProcess(p.process, now, (downSeconds * 1000) / timeScale);
      }
    }
    ctx.after(downSeconds, () => undefined);
    ctx.onCancel(() => {
      for (const t of targets) t.ptp.endOutages(ctx.now());
    });
  },
};
