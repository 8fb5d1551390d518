import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusClient, PrometheusQueryError, anyOfRegex, promqlString, vectorSelector } from '../../subgraphs/metrics/promql.js';

interface Seen {
  path: string;
  method: string;
  body: URLSearchParams;
  authorization?: string;
}

async function fakePrometheus(answer: (seen: Seen) => { status: number; body: string; delayMs?: number }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const s: Seen = { path: req.url ?? '', method: req.method ?? '', body: new URLSearchParams(body), authorization: req.headers.authorization };
      seen.push(s);
      const a = answer(s);
      setTimeout(() => {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body);
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe('PromQL helpers', () => {
  it('quotes strings and escapes regex metacharacters of node names', () => {
    expect(promqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(anyOfRegex(['sno.example.com', 'b', 'sno.example.com'])).toBe('b|sno\\.example\\.com');
    expect(vectorSelector([{ label: '__name__', op: '=~', value: 'openshift_ptp_.*' }, { label: 'node', op: '=~', value: anyOfRegex(['a.b']) }])).toBe(
      '{__name__=~"openshift_ptp_.*", node=~"a\\\\.b"}',
    );
  });
});

describe('PrometheusClient', () => {
  it('POSTs an instant query under the URL prefix and maps the vector with evaluation timestamps', async () => {
    const prom = await fakePrometheus(() => ({
      status: 200,
      body: JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { __name__: 'openshift_ptp_offset_ns', node: 'n1', iface: 'ens5fx' }, value: [1700000000.5, '-7'] },
            { metric: { __name__: 'openshift_ptp_clock_state', node: 'n1' }, value: [1700000000.5, 'NaN'] },
          ],
        },
      }),
    }));
    try {
      const client = new PrometheusClient({ url: `${prom.url.replace('http://', 'http://user:pa%3Ass@')}/thanos/` });
      const result = await client.instantQuery('{__name__=~"openshift_ptp_.*"}');
      expect(prom.seen[0].method).toBe('POST');
      expect(prom.seen[0].path).toBe('/thanos/api/v1/query');
      expect(prom.seen[0].body.get('query')).toBe('{__name__=~"openshift_ptp_.*"}');
      expect(prom.seen[0].authorization).toBe(`Basic ${Buffer.from('user:pa:ss').toString('base64')}`);
      expect(client.url).not.toContain('user');
      expect(result.evaluatedAtMs).toBe(1700000000500);
      expect(result.samples[0]).toEqual({ name: 'openshift_ptp_offset_ns', labels: { node: 'n1', iface: 'ens5fx' }, value: -7, timestampMs: 1700000000500 });
      expect(Number.isNaN(result.samples[1].value)).toBe(true);
    } finally {
      await prom.close();
    }
  });

  it('reports query errors, non-API answers, timeouts and unreachable servers distinctly', async () => {
    const prom = await fakePrometheus((s) => {
      const q = s.body.get('query');
      if (q === 'bad(') return { status: 400, body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }) };
      if (q === 'slow') return { status: 200, body: '{}', delayMs: 6000 };
      return { status: 502, body: '<html>bad gateway</html>' };
    });
    try {
      // Generous for the answers that come at once (a loaded CI box), far below the slow one's delay.
      const client = new PrometheusClient({ url: prom.url, timeoutMs: 2000 });
      await expect(client.instantQuery('bad(')).rejects.toMatchObject({ kind: 'http', httpStatus: 400, message: expect.stringContaining('bad_data: parse error') });
      await expect(client.instantQuery('x')).rejects.toMatchObject({ kind: 'http', httpStatus: 502 });
      await expect(client.instantQuery('slow')).rejects.toMatchObject({ kind: 'timeout' });
    } finally {
      await prom.close();
    }
    const gone = new PrometheusClient({ url: prom.url });
    const err = await gone.instantQuery('up').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusQueryError);
    expect((err as PrometheusQueryError).kind).toBe('unreachable');
  });
});
