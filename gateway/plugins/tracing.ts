// The tracing plugin: one server span per HTTP GraphQL request (`query <name>` once the operation is
// known), continuing the caller's W3C trace context; @apollo/gateway's own spans (gateway.plan,
// gateway.execute, one gateway.fetch per query-plan fetch) nest under it, and every subgraph fetch
// carries the context on (subgraph-data-source.ts). Installed always; with tracing off (lib/tracing.ts)
// its middleware passes straight through and the Apollo hooks find no span.
import type { RequestHandler } from 'express';
import { SpanKind, activeSpan, extractTraceContext, failSpan, startSpan, tracingEnabled, withContext } from '../../lib/tracing.js';
import type { GatewayPlugin } from './plugin.js';

export function tracingPlugin(): GatewayPlugin {
  const middleware: RequestHandler = (req, res, next) => {
    if (!tracingEnabled()) return next();
    const started = startSpan(`${req.method} /graphql`, { 'http.request.method': req.method, 'url.path': '/graphql', 'http.route': '/graphql' }, SpanKind.SERVER, extractTraceContext(req.headers));
    if (!started) return next();
    res.once('close', () => {
      started.span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) started.span.setStatus({ code: 2 });
      started.span.end();
    });
    withContext(started.context, next);
  };
  return {
    name: 'tracing',
    middleware,
    apollo: {
      async requestDidStart() {
        const span = activeSpan();
        if (!span) return;
        return {
          async didResolveOperation({ operation, operationName }) {
            const type = operation?.operation ?? 'unknown';
            span.updateName(`${type}${operationName ? ` ${operationName}` : ''}`);
            span.setAttribute('graphql.operation.type', type);
            if (operationName) span.setAttribute('graphql.operation.name', operationName);
          },
          async willSendResponse({ errors, response }) {
            const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
            const count = (errors?.length ?? 0) + (result?.errors?.length ?? 0);
            if (count) {
              span.setAttribute('graphql.errors', count);
              const codes = [...new Set((result?.errors ?? []).map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
              span.setAttribute('graphql.error.codes', codes);
              if (errors?.length) failSpan(span, errors[0]);
            }
          },
        };
      },
    },
  };
}
