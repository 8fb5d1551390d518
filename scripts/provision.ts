// `npm run provision -- create|delete|wait …`: an SMO's or a CI pipeline's way to provision an O-Cloud
// node cluster through the gateway and follow it to the end. It subscribes to the request's
// transitions (provisioningStateChanged) before it writes, prints one JSON line per transition, checks
// the request's state every 2 s as well (a transition during the subscription's start-up is not lost),
// and exits 0 fulfilled (delete: gone), 1 failed, 2 timeout, 3 when the request could not be made.
// Arguments: scripts/provision-args.ts. The token (--token or FLEETGRAPH_TOKEN) needs the o2ims:write
// scope for create/delete; it is sent as a bearer token over HTTP and in graphql-ws connection_init.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { readSubscribeCliConfig } from '../lib/config.js';
import { parseProvisionArgs, PROVISION_USAGE, UsageError, type ProvisionArgs } from './provision-args.js';

const EXIT = { fulfilled: 0, failed: 1, timeout: 2, error: 3 } as const;
const POLL_MS = 2_000;

const CREATE = `mutation Create($cluster: ID!, $input: ProvisioningRequestInput!, $dryRun: Boolean) {
  createProvisioningRequest(cluster: $cluster, input: $input, dryRun: $dryRun) { dryRun request { clusterName name state message schemaVariant } }
}`;
const DELETE = `mutation Delete($cluster: ID!, $name: ID!) {
  deleteProvisioningRequest(cluster: $cluster, name: $name) { outcome request { state message } }
}`;
const CURRENT = `query Current($cluster: ID!, $name: ID!) {
  provisioningRequest(cluster: $cluster, name: $name) { state message updateTime targetClusterName trace { stuckAt summary } }
}`;
const FOLLOW = `subscription Follow($cluster: ID!, $name: ID!) {
  provisioningStateChanged(cluster: $cluster, name: $name) { clusterName name change previousState state message time cluster { name } }
}`;

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

type State = 'PENDING' | 'PROGRESSING' | 'FULFILLED' | 'FAILED' | 'DELETING' | 'UNKNOWN';

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function endpoints(raw: string): { http: string; ws: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url is not a URL: ${raw}`);
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new UsageError(`--url must be http(s):// or ws(s)://, got ${raw}`);
  const http = new URL(url);
  http.protocol = secure ? 'https:' : 'http:';
  const ws = new URL(url);
  ws.protocol = secure ? 'wss:' : 'ws:';
  return { http: http.toString(), ws: ws.toString() };
}

async function run(args: ProvisionArgs): Promise<number> {
  const config = readSubscribeCliConfig();
  const { http, ws } = endpoints(args.url ?? config.url);
  const token = args.token ?? config.token;
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

  const gql = async <T>(query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> => {
    const res = await fetch(http, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    try {
      return JSON.parse(text) as GraphQLAnswer<T>;
    } catch {
      return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 200)}` }] };
    }
  };

  let resolveExit!: (code: number) => void;
  const exit = new Promise<number>((resolve) => (resolveExit = resolve));
  let done = false;
  const finish = (code: number, result: Record<string, unknown>) => {
    if (done) return;
    done = true;
    emit({ type: 'result', command: args.command, cluster: args.cluster, name: args.name, exitCode: code, ...result });
    resolveExit(code);
  };
  const variables = { cluster: args.cluster, name: args.name };
  const deleting = args.command === 'delete';
  /** What a state (null: the request is gone) means for this command, or undefined while it is not over. */
  const outcome = (state: State | null): number | undefined => {
    if (deleting) return state === null ? EXIT.fulfilled : undefined;
    if (state === null) return EXIT.failed;
    if (state === 'FULFILLED') return EXIT.fulfilled;
    if (state === 'FAILED' || state === 'DELETING') return EXIT.failed;
    return undefined;
  };

  const client = args.wait
    ? createClient({ url: ws, webSocketImpl: WebSocket, lazy: true, retryAttempts: 5, shouldRetry: () => true, connectionParams: token ? auth : undefined })
    : null;
  let connected!: () => void;
  const subscribed = new Promise<void>((resolve) => (connected = resolve));
  const unsubscribe =
    client?.subscribe<{ provisioningStateChanged: { state: State; change: string; message: string | null; cluster: { name: string } | null } }>(
      { query: FOLLOW, variables },
      {
        next: ({ data, errors }) => {
          if (errors?.length) {
            emit({ type: 'error', errors });
            finish(EXIT.error, { reason: 'the subscription failed' });
            return;
          }
          const t = data?.provisioningStateChanged;
          if (!t) return;
          emit({ type: 'transition', ...t });
          // An end: read the request once more, so the result line carries its trace when it failed.
          if (outcome(t.change === 'DELETED' ? null : t.state) !== undefined) void check();
        },
        error: (err) => {
          emit({ type: 'error', errors: Array.isArray(err) ? err : [{ message: err instanceof Error ? err.message : 'the subscription connection failed' }] });
          finish(EXIT.error, { reason: 'the subscription failed' });
        },
        complete: () => undefined,
      },
    ) ?? (() => undefined);
  client?.on('connected', () => connected());

  const timer = setTimeout(() => finish(EXIT.timeout, { reason: `no end within ${args.timeoutMs / 1000} s` }), args.timeoutMs);
  let poller: NodeJS.Timeout | undefined;
  let first = true;
  try {
    if (client) await Promise.race([subscribed, exit]);
    if (!done && args.command === 'create') {
      const input = {
        name: args.name,
        templateName: args.templateName,
        templateVersion: args.templateVersion,
        templateParameters: args.templateParameters,
        ...(args.displayName ? { displayName: args.displayName } : {}),
        ...(args.description ? { description: args.description } : {}),
      };
      const res = await gql<{ createProvisioningRequest: Record<string, unknown> }>(CREATE, { cluster: args.cluster, input, dryRun: args.dryRun });
      if (res.errors?.length || !res.data) {
        emit({ type: 'error', errors: res.errors ?? [{ message: 'no answer' }] });
        finish(EXIT.error, { reason: 'the request was refused' });
      } else {
        emit({ type: 'created', ...res.data.createProvisioningRequest });
        if (!args.wait) finish(EXIT.fulfilled, { waited: false });
      }
    }
    if (!done && deleting) {
      const res = await gql<{ deleteProvisioningRequest: { outcome: string } }>(DELETE, variables);
      if (res.errors?.length || !res.data) {
        emit({ type: 'error', errors: res.errors ?? [{ message: 'no answer' }] });
        finish(EXIT.error, { reason: 'the request was refused' });
      } else {
        const { outcome: deleteOutcome } = res.data.deleteProvisioningRequest;
        emit({ type: 'deleted', ...res.data.deleteProvisioningRequest });
        if (deleteOutcome === 'DELETED' || deleteOutcome === 'ALREADY_GONE') finish(EXIT.fulfilled, { state: null, outcome: deleteOutcome });
        else if (!args.wait) finish(EXIT.fulfilled, { waited: false, outcome: deleteOutcome });
      }
    }
    // The current state now and every POLL_MS: the end is seen even if its transition was missed.
    if (!done) {
      await check();
      poller = setInterval(() => void check(), POLL_MS);
    }
    return await exit;
  } finally {
    clearTimeout(timer);
    clearInterval(poller);
    unsubscribe();
    await client?.dispose();
  }

  async function check(): Promise<void> {
    if (done) return;
    const res = await gql<{ provisioningRequest: { state: State; message: string | null; targetClusterName: string | null; trace: unknown } | null }>(CURRENT, variables);
    if (res.errors?.length) {
      emit({ type: 'error', errors: res.errors });
      finish(EXIT.error, { reason: 'the request could not be read' });
      return;
    }
    const current = res.data?.provisioningRequest ?? null;
    if (first && args.command === 'wait') emit({ type: 'state', state: current?.state ?? null, message: current?.message ?? null });
    first = false;
    const code = outcome(current?.state ?? null);
    if (code !== undefined) {
      finish(code, {
        state: current?.state ?? null,
        message: current?.message ?? (current ? null : 'no such ProvisioningRequest'),
        fleetCluster: current?.state === 'FULFILLED' ? current.targetClusterName : null,
        ...(code === EXIT.failed && current ? { trace: current.trace } : {}),
      });
    }
  }
}

async function main(): Promise<void> {
  let args: ProvisionArgs;
  try {
    args = parseProvisionArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${PROVISION_USAGE}\n`);
      process.exit(EXIT.error);
    }
    throw err;
  }
  try {
    process.exitCode = await run(args);
  } catch (err) {
    emit({ type: 'error', errors: [{ message: (err as Error).message }] });
    process.exitCode = EXIT.error;
  }
  // Let stdout drain, then leave even if a socket lingers.
  setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref();
}

void main();
