// GraphiQL served from the installed npm packages (no CDN): NOC machines are often offline.
// Queries go over HTTP POST, subscriptions over graphql-ws on the same /graphql path. The editors'
// contents live in the page's URL (`?query=…&variables=…&operationName=…`, as GraphiQL's own example
// page does), so the address bar is always a link that opens the same operation for someone else.
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

export function graphiqlPage(graphqlPath: string): string {
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
  const fetcher = GraphiQL.createFetcher({ url: http.toString(), subscriptionUrl: ws.toString() });
  const params = new URLSearchParams(location.search);
  const share = (name, value) => {
    if (value) params.set(name, value); else params.delete(name);
    history.replaceState(null, '', location.pathname + (params.size ? '?' + params.toString() : ''));
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: ${JSON.stringify(EXAMPLE)},
      query: params.get('query') ?? undefined,
      variables: params.get('variables') ?? undefined,
      operationName: params.get('operationName') ?? undefined,
      onEditQuery: (value) => share('query', value),
      onEditVariables: (value) => share('variables', value),
      onEditOperationName: (value) => share('operationName', value),
    }));
</script>
</body>
</html>`;
}
