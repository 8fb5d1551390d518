// DPDK: the vDU pod (fleet domain) carries the telemetry marker; telemetry is read through the pod
// proxy, which the simulator's exporter answers and the real server (no pod network) cannot.
import { expect } from '@jest/globals';
import { CLUSTER, codes, errorsAt, type Domain } from '../domain.js';

export const dpdk: Domain = {
  name: 'dpdk',
  objects: [],
  checks: [
    {
      name: 'DPDK pods found by marker; telemetry through the pod proxy',
      query: `{ cluster(name: "${CLUSTER}") { dpdk { podsTotal pods { podName marker telemetryPort version ports { pciAddress stats { ipackets } } } } } }`,
      verify(answer, target) {
        const d = answer.data.cluster.dpdk;
        expect(d.podsTotal).toBe(1);
        if (target === 'simulator') {
          expect(answer.errors).toBeUndefined();
          expect(d.pods[0]).toMatchObject({ podName: 'vdu-0', marker: 'ANNOTATION', telemetryPort: 9876 });
          return `${d.pods[0].ports?.length ?? 0} ports, ${d.pods[0].version}`;
        }
        // the pod is found; its telemetry is one null entry with an error naming the cluster
        expect(d.pods).toEqual([null]);
        const errors = errorsAt(answer, ['cluster', 'dpdk', 'pods']);
        expect(errors).toHaveLength(1);
        expect(errors[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', cluster: CLUSTER });
        return `pod found, telemetry: ${codes(answer)}`;
      },
    },
  ],
};
