// GraphiQL served from the installed npm packages (no CDN): NOC machines are often offline.
// Queries go over HTTP POST, subscriptions over graphql-ws on the same /graphql path.
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const dirOf = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`));

/** Static assets under /graphiql/: GraphiQL, React and ReactDOM UMD builds. */
export function graphiqlAssets(): Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'react.js': path.join(dirOf('react'), 'umd/react.production.min.js'),
    'react-dom.js': path.join(dirOf('react-dom'), 'umd/react-dom.production.min.js'),
    'graphiql.js': path.join(dirOf('graphiql'), 'graphiql.min.js'),
    'graphiql.css': path.join(dirOf('graphiql'), 'graphiql.min.css'),
  };
  for (const [name, file] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1h' }));
  }
  return router;
}

const EXAMPLE = `# fleetgraph: one GraphQL API over the whole fleet.
{
  clusters {
    name
    platform
    health { reachable latencyMs }
    nodes { name ready roles }
  }
}
`;

/**
 * The page. `headers` are preset in GraphiQL's headers editor and sent in graphql-ws connection_init
 * (the demo's token, so GraphiQL works out of the box on the demo; never set with real clusters).
 */
export function graphiqlPage(graphqlPath: string, headers: Readonly<Record<string, string>> = {}): string {
  const headersJson = Object.keys(headers).length ? JSON.stringify(headers, null, 2) : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>fleetgraph</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script>
  const http = new URL(${JSON.stringify(graphqlPath)}, location.href);
  const ws = new URL(http); ws.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const headers = ${JSON.stringify(headers).replace(/</g, '\\u003c')};
  const fetcher = GraphiQL.createFetcher({ url: http.toString(), subscriptionUrl: ws.toString(), wsConnectionParams: headers });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE)}, defaultHeaders: ${JSON.stringify(headersJson).replace(/</g, '\\u003c')}, shouldPersistHeaders: false }));
</script>
</body>
</html>`;
}
