// An HTTP proxy in front of a test subgraph that records what the gateway sends it (headers and
// GraphQL body), so tests can see what reaches a subgraph without changing the subgraph.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface RecordedRequest {
  headers: http.IncomingHttpHeaders;
  body: { query?: string; variables?: Record<string, unknown> };
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export async function startRecordingProxy(targetUrl: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    requests.push({ headers: req.headers, body: raw ? (JSON.parse(raw) as RecordedRequest['body']) : {} });
    const { host: _host, connection: _connection, 'content-length': _length, ...headers } = req.headers;
    try {
      const upstream = await request(new URL(req.url ?? '/', targetUrl).toString(), {
        method: req.method as 'POST',
        headers: headers as Record<string, string>,
        body: raw || undefined,
      });
      res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') });
      res.end(await upstream.body.text());
    } catch (err) {
      res.writeHead(502).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(new URL(targetUrl).pathname, `http://127.0.0.1:${port}`).toString(),
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
