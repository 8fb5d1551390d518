// Stands in for issue 15's authentication in tests: a request carrying `x-test-scopes: a,b` is the
// principal `ci-pipeline` with those scopes; one without the header stays anonymous.
import type { GatewayPlugin } from '../../gateway/plugins/plugin.js';

export const testScopes: GatewayPlugin = {
  name: 'test-scopes',
  authenticateRequest: ({ headers }) => {
    const scopes = headers['x-test-scopes'];
    return scopes === undefined ? undefined : { scope: `test:${scopes}`, subject: 'ci-pipeline', claims: { scopes: scopes.split(',') } };
  },
};

/** Headers of a principal that may create and delete ProvisioningRequests. */
export const WRITER: Readonly<Record<string, string>> = { 'x-test-scopes': 'o2ims:write' };
