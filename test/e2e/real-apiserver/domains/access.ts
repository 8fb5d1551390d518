// A context without any RBAC grant (the real server's user `dev`, the simulator's no-grants token):
// every read is 403, answered as FORBIDDEN on that cluster's fields only; /version is public.
import { expect } from '@jest/globals';
import { NO_GRANTS_CLUSTER, type Domain } from '../domain.js';

export const access: Domain = {
  name: 'access',
  objects: [],
  checks: [
    {
      name: 'no RBAC grants: FORBIDDEN everywhere, nothing crashes',
      query: `{ cluster(name: "${NO_GRANTS_CLUSTER}") {
        version health { reachable }
        nodes { name } pods { name } workloads { kind }
        sriov { nodesTotal } ptp { nodesTotal } dpdk { podsTotal } network { primaryPlugin }
        odaComponents { name } provisioningRequests { name } ovs { clusterName }
      } }`,
      verify(answer) {
        expect(answer.status).toBe(200);
        const c = answer.data.cluster;
        const fields = ['nodes', 'pods', 'workloads', 'sriov', 'ptp', 'dpdk', 'network', 'odaComponents', 'provisioningRequests', 'ovs'];
        expect(c).toMatchObject({ version: 'v1.20.2', ...Object.fromEntries(fields.map((f) => [f, null])) });
        for (const field of fields) {
          const errors = (answer.errors ?? []).filter((e) => e.path?.[1] === field);
          expect({ field, codes: errors.map((e) => e.extensions?.code) }).toEqual({ field, codes: ['FORBIDDEN'] });
          expect(errors[0].extensions?.cluster).toBe(NO_GRANTS_CLUSTER);
        }
        return `${fields.length} fields FORBIDDEN, version ${c.version}`;
      },
    },
  ],
};
