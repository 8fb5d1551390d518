// The cni models of one cluster, derived once per change of what they are read from: every input is a
// watch-cache list (the same array until its cache changes) or the 5-minute discovery, so a warm query
// or summary reuses the last detection, NAD parse and Event correlation instead of redoing them for
// every cluster on every request. Shared models: never mutate one.
import { memoByInputs, memoByObject } from '../../lib/memo.js';
import type { ClusterNetworkModel, NadModel, PodNetworkEventModel } from './models.js';
import { clusterAddressing, detectMultus, detectPrimaryCni, type AddressingInput, type CniSignals } from './primary-cni.js';
import { mapNads, podNetworkEvents, selectEvents } from './sources.js';
import type {
  CalicoIpPoolObject,
  CiliumNodeObject,
  CniNodeObject,
  DaemonSetObject,
  EventObject,
  NetworkAttachmentDefinitionObject,
  OpenShiftNetworkObject,
  OperatorNetworkObject,
  TigeraInstallationObject,
} from './upstream.js';

/** The one empty list of every kind a cluster does not serve (a fresh `[]` would defeat the memos). */
export const NONE: readonly never[] = Object.freeze([]);

/** Detection's inputs as one object per set of lists. */
export const signalsOf = memoByInputs(
  (
    daemonSets: readonly DaemonSetObject[],
    networks: readonly OpenShiftNetworkObject[],
    operators: readonly OperatorNetworkObject[],
    servedGroups: readonly string[],
    nodes: readonly CniNodeObject[],
  ): CniSignals => ({
    openshiftNetwork: networks.find((n) => n.metadata.name === 'cluster') ?? null,
    operatorNetwork: operators.find((n) => n.metadata.name === 'cluster') ?? null,
    daemonSets,
    servedGroups,
    nodes,
  }),
);

export const primaryCniOf = memoByObject(detectPrimaryCni);

/** Addressing's inputs as one object per set of lists (OpenShift: the Network object alone). */
export const addressingInputOf = memoByInputs(
  (
    signals: CniSignals,
    ipPools: readonly CalicoIpPoolObject[],
    installations: readonly TigeraInstallationObject[],
    ciliumNodes: readonly CiliumNodeObject[],
    nodes: readonly CniNodeObject[],
  ): AddressingInput => ({ ipPools, installation: installations.find((i) => i.metadata.name === 'default') ?? null, ciliumNodes, nodes }),
);
export const openshiftAddressingOf = memoByObject((signals: CniSignals): AddressingInput => ({ openshiftNetwork: signals.openshiftNetwork }));

export const networkOf = memoByInputs(
  (signals: CniSignals, addressing: AddressingInput, cluster: string): ClusterNetworkModel => ({
    clusterName: cluster,
    primary: primaryCniOf(signals),
    multus: detectMultus(signals),
    ...clusterAddressing(addressing),
  }),
);

export const nadsOf = memoByInputs((objects: readonly NetworkAttachmentDefinitionObject[], cluster: string): NadModel[] => mapNads(cluster, objects));

/** The cluster's pod-network Events, correlated, newest first, at most `limit`. */
export const networkEventsOf = memoByInputs(
  (raw: readonly EventObject[], cluster: string, nads: readonly NadModel[], limit: number): PodNetworkEventModel[] =>
    selectEvents(podNetworkEvents(cluster, raw, { nads }), { limit }),
);
