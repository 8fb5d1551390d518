// Access policies the launcher writes itself:
//  - the demo's (`npm start` on the simulated fleet): a local API key holding every scope, kept in
//    .fleetgraph/demo/token (0600) so it survives restarts, and a policy granting it everything. The demo
//    listens on 127.0.0.1 only; the token is printed and preset in GraphiQL;
//  - an open one for stacks started without a policy (tests in the processes layout): anonymous callers
//    may read everything, as a gateway without a policy answers them in one process.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { sha256Hex } from '../../gateway/auth/credentials.js';
import { REPO_ROOT } from '../../lib/paths.js';

export interface DemoAccess {
  policyFile: string;
  token: string;
  tokenFile: string;
}

/** Every scope the API knows today; `admin` holds any other. */
export const ALL_SCOPES = ['read', 'o2ims:write', 'admin'];

export function demoAccess(dir = path.join(REPO_ROOT, '.fleetgraph', 'demo')): DemoAccess {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tokenFile = path.join(dir, 'token');
  let token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  if (!/^fgk_[A-Za-z0-9_-]{32,}$/.test(token)) {
    token = `fgk_${randomBytes(24).toString('base64url')}`;
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  }
  chmodSync(tokenFile, 0o600);
  const policyFile = path.join(dir, 'policy.yaml');
  const policy = {
    apiKeys: [{ name: 'demo', sha256: sha256Hex(token) }],
    grants: [{ name: 'demo-user', apiKeys: ['demo'], scopes: ALL_SCOPES }],
  };
  writeFileSync(
    policyFile,
    `# The demo's access policy, written by npm start (README "Access"). The demo key is in ./token.\n${stringify(policy)}`,
    { mode: 0o600 },
  );
  return { policyFile, token, tokenFile };
}

/** A policy in `dir` under which anonymous callers may read everything (and write nothing). */
export function openReadPolicy(dir: string): string {
  const policyFile = path.join(dir, 'open-policy.yaml');
  writeFileSync(policyFile, stringify({ grants: [{ name: 'anyone-reads', anonymous: true, scopes: ['read'] }] }));
  return policyFile;
}
