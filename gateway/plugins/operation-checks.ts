// Operations the gateway cannot run are the client's mistake, answered 400 with a code before the
// query planner sees them (it would answer 500 INVALID_GRAPHQL): an operation name the document does
// not define, an operation type the schema has no root for (`mutation` on this read-only API), and a
// subscription sent over HTTP (they go over graphql-ws on the same URL).
import { GraphQLError } from 'graphql';
import type { GatewayPlugin } from './plugin.js';

const clientError = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

export function operationChecksPlugin(): GatewayPlugin {
  return {
    name: 'operation-checks',
    apollo: {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, request, schema }) {
            if (!operation) {
              throw clientError(
                request.operationName
                  ? `Unknown operation named "${request.operationName}".`
                  : 'Must provide operation name if query contains multiple operations.',
                'OPERATION_RESOLUTION_FAILURE',
              );
            }
            if (!schema.getRootType(operation.operation)) {
              throw clientError(`The schema has no ${operation.operation} type: this API is read-only.`, 'GRAPHQL_VALIDATION_FAILED');
            }
            if (operation.operation === 'subscription') {
              throw clientError(
                'Subscriptions are not served over HTTP: open a graphql-ws WebSocket (subprotocol graphql-transport-ws) to this same URL (ws:// or wss://).',
                'BAD_REQUEST',
              );
            }
          },
        };
      },
    },
  };
}
