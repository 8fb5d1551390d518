// Command-line subscriber for scripts: prints one JSON line per event on stdout.
//   npm run subscribe -- '<operation>' [--variables JSON] [--operation-name NAME] [--url ws://...]
//                        [--token T] [--count N] [--retry N]
// The operation may also be read from a file: '@path/to/op.graphql'. The token may come from
// FLEETGRAPH_TOKEN instead of --token (keeps it out of shell history and `ps`); it is sent as
// `{authorization: 'Bearer …'}` in connection_init, the same credentials as HTTP, and never printed.
// It says on stderr what it is doing: "subscribed, waiting for events" once the gateway acknowledged
// the connection, and, when the connection is lost or refused (a gateway or whole-stack restart), each
// reconnect attempt; --retry N (default 5) consecutive failed attempts, with jittered exponential
// backoff (0.5 s doubling up to 5 s), then it gives up. On reconnect it resubscribes.
// Exit codes: 0 when the subscription completes (or --count events arrived), 1 on any error
// (GraphQL errors ending the subscription, retries exhausted, bad arguments), 130 on Ctrl-C.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { backoffMs } from '../lib/backoff.js';
import { readSubscribeCliConfig } from '../lib/config.js';

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

const config = readSubscribeCliConfig();
const url = wsUrl(values.url ?? config.url);
const token = values.token ?? config.token;
const count = nonNegativeInt('count', values.count, 0);
const retryAttempts = nonNegativeInt('retry', values.retry, 5);
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 5_000;

const say = (line: string) => process.stderr.write(`${line}\n`);
let finishing = false;
let connected = false;
let retried = 0;
/** Why the last connection attempt failed (a refused connection is an error event, then a 1006 close). */
let lastFailure: string | undefined;

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: true,
  retryAttempts,
  // graphql-ws retries only close events by default; a restarting gateway refuses connections first.
  shouldRetry: () => true,
  retryWait: async (retries) => {
    const delay = backoffMs(retries, RETRY_BASE_MS, RETRY_MAX_MS);
    if (lastFailure) say(`cannot connect: ${lastFailure}`);
    say(`reconnecting in ${(delay / 1000).toFixed(1)} s (retry ${retries + 1} of ${retryAttempts})`);
    retried = retries + 1;
    await new Promise((resolve) => setTimeout(resolve, delay));
  },
  on: {
    connecting: () => {
      lastFailure = undefined;
    },
    // graphql-ws has no per-subscription acknowledgement: the subscribe message follows the ack at once.
    connected: (_socket, _payload, wasRetry) => {
      connected = true;
      say(wasRetry ? 'reconnected and resubscribed, waiting for events' : `subscribed, waiting for events (${url})`);
    },
    error: (err) => {
      lastFailure = err instanceof Error || (err && typeof err === 'object' && 'message' in err) ? String((err as { message: unknown }).message) : 'connection failed';
    },
    closed: (event) => {
      if (finishing || !connected) return;
      connected = false;
      const { code, reason } = event as { code: number; reason?: string };
      say(`connection lost: ${code}${reason ? ` ${reason}` : ''}`);
    },
  },
  connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
});

let received = 0;
function finish(code: number): void {
  finishing = true;
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
      } else {
        const gaveUp = retried > 0 ? `giving up after ${retried} ${retried === 1 ? 'retry' : 'retries'}: ` : '';
        if (lastFailure) {
          say(`${gaveUp}${lastFailure} (${url})`);
        } else if (err && typeof err === 'object' && 'code' in err) {
          const { code, reason } = err as { code: number; reason?: string };
          say(`${gaveUp}connection closed: ${code}${reason ? ` ${reason}` : ''}`);
        } else {
          say(`${gaveUp}${err instanceof Error ? err.message : 'connection failed'} (${url})`);
        }
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
