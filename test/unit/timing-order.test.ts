// ptpNodes order: worst first (FREERUN, HOLDOVER, UNKNOWN, LOCKED), then beyond threshold, then |offset|.
import { compareNodePtp } from '../../subgraphs/timing/resolvers.js';
import type { NodePtpModel } from '../../subgraphs/timing/models.js';

function node(name: string, syncState: NodePtpModel['syncState'], offsetNs: number | null, beyondThreshold = false): NodePtpModel {
  return {
    clusterName: 'c',
    nodeName: name,
    syncState,
    clockClass: null,
    offsetNs,
    maxAbsOffsetNs: offsetNs === null ? null : Math.abs(offsetNs),
    beyondThreshold,
    grandmasterCapable: false,
    encoding: 'EVENTS',
    clocks: [],
    ports: [],
    processes: [],
    thresholds: { profile: null, holdOverTimeoutSeconds: 5, maxOffsetNs: 100, minOffsetNs: -100, source: 'DEFAULT' },
    profiles: [],
    device: null,
    read: null,
  };
}

it('sorts worst first', () => {
  const nodes = [
    node('locked-small', 'LOCKED', 3),
    node('locked-big', 'LOCKED', -40),
    node('unknown', 'UNKNOWN', null),
    node('holdover-faulty', 'HOLDOVER', null, true),
    node('holdover', 'HOLDOVER', 20),
    node('freerun', 'FREERUN', 5),
    node('locked-beyond', 'LOCKED', 150, true),
  ];
  expect(nodes.sort(compareNodePtp).map((n) => n.nodeName)).toEqual([
    'freerun',
    'holdover-faulty',
    'holdover',
    'unknown',
    'locked-beyond',
    'locked-big',
    'locked-small',
  ]);
});
