// The policy in force: read from POLICY_FILE at start (a bad file stops the gateway, naming the
// problem) and again whenever the file changes. A bad edit keeps the previous policy and is logged as
// an error, so a typo never opens or closes the fleet by accident.
import { readFileSync } from 'node:fs';
import { log } from '../../lib/log.js';
import { watchFiles } from '../../lib/watch-files.js';
import { parsePolicy, PolicyError, type Policy } from './policy.js';

export function readPolicyFile(path: string): Policy {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyError(`cannot read the policy file ${path}: ${(err as Error).message}`);
  }
  try {
    return parsePolicy(source);
  } catch (err) {
    throw new PolicyError(`policy file ${path}: ${(err as Error).message}`);
  }
}

export class PolicyStore {
  private current: Policy;
  /** Bumped on every successful reload. */
  generation = 1;
  private readonly stop: () => void;

  constructor(private readonly path: string) {
    this.current = readPolicyFile(path);
    this.stop = watchFiles([path], () => this.reload(), { onError: (err) => log.warn({ err: err.message, path }, 'cannot watch the policy file') });
  }

  get policy(): Policy {
    return this.current;
  }

  /** Re-reads the file; on a bad file the previous policy stays. Returns whether it changed. */
  reload(): boolean {
    try {
      const next = readPolicyFile(this.path);
      if (JSON.stringify(next) === JSON.stringify(this.current)) return false;
      this.current = next;
      this.generation++;
      log.info({ path: this.path, grants: next.grants.length, apiKeys: next.apiKeys.length }, 'access policy reloaded');
      return true;
    } catch (err) {
      log.error({ err: (err as Error).message }, 'access policy not reloaded: the previous policy stays in force');
      return false;
    }
  }

  close(): void {
    this.stop();
  }
}
