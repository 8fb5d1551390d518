// The Apollo part of the audit trail (gateway/audit.ts): what the operation was (type, name, root
// fields, named clusters) for every mutation and every refused or failed operation, and its outcome code.
// The line itself is written when the HTTP response finishes (auditRequests), once per request.
import type { GatewayPlugin } from './plugin.js';
import { REFUSAL_CODES, summarize } from '../audit.js';

export function auditPlugin(): GatewayPlugin {
  return {
    name: 'audit',
    apollo: {
      async requestDidStart() {
        return {
          async willSendResponse({ contextValue, document, request, operation, errors, response }) {
            const record = contextValue.audit;
            const bodyErrors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
            const codes = [...(errors ?? []).map((e) => e.extensions?.code), ...bodyErrors.map((e) => e.extensions?.code)].filter((c): c is string => typeof c === 'string');
            const mutation = operation?.operation === 'mutation';
            const refusal = codes.find((c) => REFUSAL_CODES.has(c));
            // A query with a failing cluster is not a refusal: only mutations and refusals are audited.
            if (!mutation && !refusal && (response.http.status ?? 200) < 400) return;
            if (document) record.operation = summarize(document, request.operationName, request.variables ?? {});
            record.always = mutation;
            if (refusal ?? (mutation ? codes[0] : undefined)) {
              record.code = refusal ?? codes[0];
              record.reason = [...(errors ?? []), ...bodyErrors].find((e) => e.extensions?.code === record.code)?.message;
            }
          },
        };
      },
    },
  };
}
