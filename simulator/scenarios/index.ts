// PLACEHOLDER written by the API-server engineer so the control API compiles before the scenarios
// exist. The scenarios engineer replaces this file; keep these exports — simulator/control/ calls them.
import type { SimulatorRuntime } from '../cluster.js';

/** Available and running scenarios, as JSON for `GET /scenarios`. */
export function listScenarios(): unknown {
  return { available: [], running: [] };
}

/**
 * Starts a scenario (`POST /scenarios/<name>` with params such as {cluster, clusters, node});
 * returns JSON describing what started. Throws an Error (message shown to the caller) for an unknown
 * scenario or bad params.
 */
export function startScenario(_runtime: SimulatorRuntime, name: string, _params: Record<string, unknown>): unknown {
  throw new Error(`unknown scenario "${name}"`);
}
