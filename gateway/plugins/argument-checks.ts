// Checks argument values by name (gateway/argument-rules.ts) once per request, before any subgraph is
// asked: a bad `labelSelector` over the whole fleet is one BAD_USER_INPUT with HTTP 400, not one
// identical error per cluster; `limit: -1` is refused instead of ignored. Every problem is reported.
import { HeaderMap } from '@apollo/server';
import type { GatewayPlugin } from './plugin.js';
import { checkArguments } from '../argument-checks.js';

export function argumentChecksPlugin(): GatewayPlugin {
  return {
    name: 'argument-checks',
    apollo: {
      async requestDidStart() {
        return {
          async responseForOperation({ document, operation, request }) {
            const errors = checkArguments(document, operation, request.variables ?? {});
            if (errors.length === 0) return null;
            return {
              http: { status: 400, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { errors: errors.map((e) => e.toJSON()) } },
            };
          },
        };
      },
    },
  };
}
