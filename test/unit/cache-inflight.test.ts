// In-flight sharing in the gateway's HTTP handler (gateway/inflight-dedup.ts): identical concurrent
// read-only requests run once and all get the answer; different variables, callers (authorization)
// or mutations run on their own; with the switch off every request runs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { graphqlHandler } from '../../gateway/inflight-dedup.js';

const typeDefs = `type Query { slow(n: Int): Int! } type Mutation { bump: Int! }`;

/**
 * `together`: how many requests a test sends at once; a resolver holds its answer until that many have
 * reached the server (or 5 s passed), so "concurrent" does not depend on how fast a loaded machine is.
 */
async function start(enabled: boolean, together = 1) {
  let executions = 0;
  let arrived = 0;
  const allArrived = async () => {
    for (const deadline = Date.now() + 5000; arrived < together && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
  };
  const resolvers = {
    Query: {
      slow: async (_: unknown, { n }: { n?: number }) => {
        executions++;
        await allArrived();
        return n ?? 0;
      },
    },
    Mutation: { bump: () => ++executions },
  };
  const apollo = new ApolloServer({ typeDefs, resolvers });
  await apollo.start();
  const app = express();
  // Counted just before the handler, which looks up in-flight executions synchronously on entry.
  const count: express.RequestHandler = (_req, _res, next) => {
    arrived++;
    next();
  };
  app.use('/graphql', express.json(), count, graphqlHandler(apollo, { enabled, context: async () => ({}) }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
  };
  return {
    post,
    executions: () => executions,
    stop: async () => {
      await apollo.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

test('ten identical concurrent queries execute once and all get the answer', async () => {
  const s = await start(true, 10);
  try {
    const answers = await Promise.all(Array.from({ length: 10 }, () => s.post({ query: 'query Q($n: Int) { slow(n: $n) }', variables: { n: 7 } })));
    expect(answers.map((a) => a.json.data)).toEqual(Array(10).fill({ slow: 7 }));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(s.executions()).toBe(1);
    // Once answered, the next identical request runs again (nothing is cached).
    await s.post({ query: 'query Q($n: Int) { slow(n: $n) }', variables: { n: 7 } });
    expect(s.executions()).toBe(2);
  } finally {
    await s.stop();
  }
});

test('different variables, callers and mutations are never shared', async () => {
  const s = await start(true, 4);
  try {
    const q = 'query Q($n: Int) { slow(n: $n) }';
    const answers = await Promise.all([
      s.post({ query: q, variables: { n: 1 } }),
      s.post({ query: q, variables: { n: 2 } }),
      s.post({ query: q, variables: { n: 1 } }, { authorization: 'Bearer other' }),
      s.post({ query: q, variables: { n: 1 } }, { 'x-tenant': 'b' }),
    ]);
    expect(answers.map((a) => a.json.data?.slow)).toEqual([1, 2, 1, 1]);
    expect(s.executions()).toBe(4);
    const bumps = await Promise.all([s.post({ query: 'mutation { bump }' }), s.post({ query: 'mutation { bump }' })]);
    expect(new Set(bumps.map((b) => b.json.data?.bump)).size).toBe(2);
  } finally {
    await s.stop();
  }
});

test('switched off, every request executes', async () => {
  const s = await start(false, 3);
  try {
    await Promise.all(Array.from({ length: 3 }, () => s.post({ query: '{ slow }' })));
    expect(s.executions()).toBe(3);
  } finally {
    await s.stop();
  }
});
