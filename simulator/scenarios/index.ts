// The scenario catalogue behind the control API (`GET /scenarios`, `POST /scenarios/<name>`) and the CLI.
// Timings and parameters: simulator/scenarios/README.md.
import type { SimulatorRuntime } from '../cluster.js';
import { ParamError, timeScaleOf } from './params.js';
import { runScenario, runningScenarios, type ScenarioDefinition, type ScenarioHandle } from './scenario.js';
import { ptpDaemonRestart, ptpGmLoss, ptpOffsetExcursion } from './ptp.js';
import { sriovPolicyReconcile } from './sriov.js';
import { provisioningDelete, provisioningLifecycle } from './provisioning.js';
import { odaDeploy } from './oda.js';
import { cniSandboxFailure, dpdkDrop, ovsLoad } from './network.js';
import { ovsFlowStorm } from './ovs.js';

export type { ScenarioHandle } from './scenario.js';
export { runningScenarios } from './scenario.js';
export { schedulerFor } from './scheduler.js';
export { startProvisioningOperator, type ProvisioningOperatorOptions } from './provisioning-operator.js';
export { provisioningDurationsMs } from './provisioning.js';

const SCENARIOS: readonly ScenarioDefinition[] = [
  ptpGmLoss,
  ptpOffsetExcursion,
  ptpDaemonRestart,
  sriovPolicyReconcile,
  provisioningLifecycle,
  provisioningDelete,
  odaDeploy,
  cniSandboxFailure,
  ovsLoad,
  ovsFlowStorm,
  dpdkDrop,
];

export function listScenarios(): { name: string; description: string; params: string[] }[] {
  return SCENARIOS.map(({ name, description, params }) => ({ name, description, params }));
}

/**
 * Start a scenario. Throws an Error with a clear message for an unknown scenario or bad params (before
 * anything changes). The handle's `done` settles when the last step has run; `cancel()` stops it.
 */
export function startScenario(runtime: SimulatorRuntime, name: string, params: Record<string, unknown>): ScenarioHandle {
  const def = SCENARIOS.find((s) => s.name === name);
  if (!def) throw new Error(`unknown scenario "${name}"; available: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new Error('scenario params must be a JSON object');
  try {
    return runScenario(runtime, def, params, timeScaleOf(params));
  } catch (err) {
    if (err instanceof ParamError) throw new Error(`${name}: ${err.message}`);
    throw err;
  }
}

/** Running scenarios of a runtime (for `GET /scenarios`). */
export function listRunningScenarios(runtime?: SimulatorRuntime): ReturnType<typeof runningScenarios> {
  return runningScenarios(runtime);
}
