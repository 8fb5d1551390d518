// Arguments of `npm run provision` (scripts/provision.ts), parsed without side effects so they can be
// unit-tested: the command, the request it names, the template and its parameters, how long to wait.
import { parseArgs } from 'node:util';

export const PROVISION_USAGE = `usage:
  npm run provision -- create --cluster HUB --name NAME --template T --template-version V
                              [--param key=value ...] [--params JSON] [--display-name S] [--description S]
                              [--dry-run] [--no-wait] [--timeout SECONDS]
  npm run provision -- delete --cluster HUB --name NAME [--no-wait] [--timeout SECONDS]
  npm run provision -- wait   --cluster HUB --name NAME [--timeout SECONDS]
common: [--url http://127.0.0.1:4000/graphql] [--token T]   (or FLEETGRAPH_WS_URL, FLEETGRAPH_TOKEN)

--param key=value sets templateParameters.key (dots nest: labels.region=west; true/false/numbers are
typed); --params gives the whole object as JSON (--param entries are applied on top).
Prints one JSON line per transition and a final {"type":"result"} line.
Exit codes: 0 fulfilled (delete: gone), 1 failed (or deleted while waiting), 2 timeout,
            3 the request could not be made (bad arguments, refused, unreachable).`;

export type ProvisionCommand = 'create' | 'delete' | 'wait';

export interface ProvisionArgs {
  command: ProvisionCommand;
  cluster: string;
  name: string;
  templateName?: string;
  templateVersion?: string;
  templateParameters?: Record<string, unknown>;
  displayName?: string;
  description?: string;
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  url?: string;
  token?: string;
}

export class UsageError extends Error {}

function scalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text !== '' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** templateParameters from --params JSON and --param key=value entries (dotted keys nest). */
export function templateParametersOf(json: string | undefined, params: readonly string[]): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      throw new UsageError(`--params is not JSON: ${(err as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--params must be a JSON object');
    out = structuredClone(parsed as Record<string, unknown>);
  }
  for (const entry of params) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects key=value, got "${entry}"`);
    const path = entry.slice(0, eq).split('.');
    if (path.some((p) => p === '')) throw new UsageError(`--param key "${entry.slice(0, eq)}" has an empty segment`);
    let target = out;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === undefined) target[key] = {};
      else if (!next || typeof next !== 'object' || Array.isArray(next)) throw new UsageError(`--param ${entry}: "${key}" is not an object`);
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = scalar(entry.slice(eq + 1));
  }
  return out;
}

export function parseProvisionArgs(argv: readonly string[]): ProvisionArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        cluster: { type: 'string' },
        name: { type: 'string' },
        template: { type: 'string' },
        'template-version': { type: 'string' },
        param: { type: 'string', multiple: true },
        params: { type: 'string' },
        'display-name': { type: 'string' },
        description: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'no-wait': { type: 'boolean' },
        timeout: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (command !== 'create' && command !== 'delete' && command !== 'wait') throw new UsageError(command ? `unknown command "${command}"` : 'give a command: create, delete or wait');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!values.cluster) throw new UsageError('--cluster is required (the management cluster)');
  if (!values.name) throw new UsageError('--name is required (the ProvisioningRequest)');
  const timeoutSeconds = values.timeout === undefined ? (command === 'delete' ? 300 : 1800) : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a number of seconds > 0, got ${values.timeout}`);
  const args: ProvisionArgs = {
    command,
    cluster: values.cluster,
    name: values.name,
    dryRun: values['dry-run'] ?? false,
    wait: command === 'wait' || !(values['no-wait'] ?? false),
    timeoutMs: timeoutSeconds * 1000,
    url: values.url,
    token: values.token,
  };
  if (command === 'create') {
    if (!values.template) throw new UsageError('create needs --template');
    if (!values['template-version']) throw new UsageError('create needs --template-version');
    args.templateName = values.template;
    args.templateVersion = values['template-version'];
    args.templateParameters = templateParametersOf(values.params, values.param ?? []);
    args.displayName = values['display-name'];
    args.description = values.description;
    // A dry run stores nothing, so there is nothing to wait for.
    if (args.dryRun) args.wait = false;
  } else if (values.template || values['template-version'] || values.param || values.params) {
    throw new UsageError(`${command} takes no template arguments`);
  }
  return args;
}
