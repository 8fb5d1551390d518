// Command-line subscriber for scripts: prints one JSON line per event on stdout.
//   npm run subscribe -- '<operation>' [--variables JSON] [--operation-name NAME] [--url ws://...]
//                        [--token T] [--count N] [--retry N]
// The operation may also be read from a file: '@path/to/op.graphql'. The token may come from
// FLEETGRAPH_TOKEN instead of --token (keeps it out of shell history and `ps`); it is sent as
// `{authorization: 'Bearer …'}` in connection_init, the same credentials as HTTP, and never printed.
// Exit codes: 0 when the subscription completes (or --count events arrived), 1 on any error
// (GraphQL errors ending the subscription, connection refused or lost, bad arguments), 130 on Ctrl-C.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const USAGE = `usage: npm run subscribe -- '<operation>' [--variables JSON] [--operation-name NAME]
                              [--url ws://127.0.0.1:4000/graphql] [--token T] [--count N] [--retry N]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        variables: { type: 'string' },
        'operation-name': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        count: { type: 'string' },
        retry: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
}

function wsUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') fail(`--url must be ws(s):// or http(s)://, got ${raw}`);
  return url.toString();
}

function nonNegativeInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got ${raw}`);
  return n;
}

const { values, positionals } = parse();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail(USAGE);
const operationArg = positionals[0];
const query = operationArg.startsWith('@') ? readFileSync(operationArg.slice(1), 'utf8') : operationArg;

let variables: Record<string, unknown> | undefined;
if (values.variables !== undefined) {
  try {
    const parsed: unknown = JSON.parse(values.variables);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    variables = parsed as Record<string, unknown>;
  } catch (err) {
    fail(`--variables must be a JSON object: ${(err as Error).message}`);
  }
}

const url = wsUrl(values.url ?? process.env.FLEETGRAPH_WS_URL ?? 'ws://127.0.0.1:4000/graphql');
const token = values.token ?? process.env.FLEETGRAPH_TOKEN;
const count = nonNegativeInt('count', values.count, 0);
const retryAttempts = nonNegativeInt('retry', values.retry, 5);

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: true,
  retryAttempts,
  connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
});

let received = 0;
function finish(code: number): void {
  void client.dispose();
  process.exitCode = code;
  // Let stdout drain, then leave even if a socket lingers.
  setTimeout(() => process.exit(code), 100).unref();
}

const unsubscribe = client.subscribe(
  { query, variables, operationName: values['operation-name'] },
  {
    next(event) {
      process.stdout.write(`${JSON.stringify(event)}\n`);
      received++;
      if (count > 0 && received >= count) {
        unsubscribe();
        finish(0);
      }
    },
    error(err) {
      if (Array.isArray(err)) {
        process.stderr.write(`${JSON.stringify({ errors: err })}\n`);
      } else if (err && typeof err === 'object' && 'code' in err) {
        const { code, reason } = err as { code: number; reason?: string };
        process.stderr.write(`connection closed: ${code}${reason ? ` ${reason}` : ''}\n`);
      } else {
        process.stderr.write(`${err instanceof Error ? err.message : 'connection failed'} (${url})\n`);
      }
      finish(1);
    },
    complete() {
      finish(0);
    },
  },
);

process.once('SIGINT', () => {
  unsubscribe();
  finish(130);
});
