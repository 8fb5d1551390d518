// A small typed client for scripts: queries over HTTP POST and subscriptions over graphql-ws, both to
// the gateway's /graphql, with an optional bearer token (or any headers). Documents are the typed ones
// GraphQL Code Generator's client preset makes from client/operations/*.graphql (client/generated/),
// so results and variables are checked by TypeScript.
//
// fleetgraph answers a failing cluster with a null for its part and one coded error, and the rest of
// the data: `query` returns both (`data` and `errors`); `request` throws unless the answer is complete.
import { print, type GraphQLFormattedError } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface FleetgraphClientOptions {
  /** The gateway's GraphQL URL, e.g. http://127.0.0.1:4000/graphql (its ws:// twin serves subscriptions). */
  url: string;
  /** Sent as `authorization: Bearer <token>` on HTTP, on the WebSocket upgrade and in connection_init. */
  token?: string;
  /** More headers on every request. */
  headers?: Record<string, string>;
  /** Per-request deadline, ms (default 30 s). */
  timeoutMs?: number;
}

export interface QueryResult<T> {
  /** Partial when some cluster failed (its part is null): see `errors`. */
  data: T | null;
  errors: readonly GraphQLFormattedError[];
  status: number;
}

export class FleetgraphError extends Error {
  override readonly name = 'FleetgraphError';
  constructor(
    message: string,
    readonly errors: readonly GraphQLFormattedError[],
    readonly status?: number,
  ) {
    super(message);
  }

  /** The `extensions.code` of every error (CLUSTER_UNREACHABLE, FORBIDDEN, BAD_USER_INPUT …). */
  get codes(): string[] {
    return this.errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
  }
}

export interface FleetgraphClient {
  query<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): Promise<QueryResult<T>>;
  /** The data of a complete answer; throws FleetgraphError when there is any error. */
  request<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T>;
  /** Events of a subscription until `return()` (or `break` in for-await); a GraphQL error ends it with a FleetgraphError. */
  subscribe<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

export function createFleetgraphClient(options: FleetgraphClientOptions): FleetgraphClient {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let ws: Client | undefined;

  const wsClient = (): Client => {
    if (ws) return ws;
    const url = new URL(options.url);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    // graphql-ws constructs the socket with (url, protocol); ours adds the headers to the upgrade request.
    class HeaderWebSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    ws = createClient({
      url: url.toString(),
      webSocketImpl: HeaderWebSocket,
      connectionParams: options.token ? { authorization: headers.authorization } : undefined,
      lazy: true,
      retryAttempts: 0,
    });
    return ws;
  };

  const query = async <T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): Promise<QueryResult<T>> => {
    const res = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
      body: JSON.stringify({ query: print(document), variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: { data?: T | null; errors?: GraphQLFormattedError[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new FleetgraphError(`fleetgraph answered HTTP ${res.status} without GraphQL: ${text.slice(0, 200)}`, [], res.status);
    }
    if (body.data === undefined && body.errors?.length) throw new FleetgraphError(body.errors.map((e) => e.message).join('; '), body.errors, res.status);
    return { data: body.data ?? null, errors: body.errors ?? [], status: res.status };
  };

  return {
    query,
    async request(document, variables) {
      const result = await query(document, variables);
      if (result.errors.length || result.data === null) throw new FleetgraphError(result.errors.map((e) => e.message).join('; ') || 'no data', result.errors, result.status);
      return result.data;
    },
    subscribe<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): AsyncIterableIterator<T> {
      const events = wsClient().iterate<T>({ query: print(document), variables });
      const iterator: AsyncIterableIterator<T> = {
        async next() {
          const step = await events.next();
          if (step.done) return { done: true, value: undefined };
          if (step.value.errors?.length) {
            await events.return?.();
            throw new FleetgraphError(step.value.errors.map((e) => e.message).join('; '), step.value.errors);
          }
          return { done: false, value: step.value.data as T };
        },
        async return() {
          await events.return?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    async close() {
      await ws?.dispose();
    },
  };
}
