/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Clusters {\n  clusters {\n    name\n    platform\n    version\n    health {\n      reachable\n      latencyMs\n      lastContact\n      error\n    }\n    nodes {\n      name\n      ready\n      roles\n      kubeletVersion\n    }\n  }\n}\n\nquery ClusterWorkloads($labels: [LabelFilter!]) {\n  clusters(labels: $labels) {\n    name\n    workloads {\n      kind\n      rule\n      pod {\n        namespace\n        name\n        phase\n        nodeName\n      }\n    }\n  }\n}\n\nquery NodeAllocatable($cluster: ID!, $node: ID!) {\n  cluster(name: $cluster) {\n    node(name: $node) {\n      ready\n      allocatable {\n        name\n        value\n      }\n    }\n  }\n}\n\nquery EdgeSite($cluster: ID!, $limit: Int = 3) {\n  cluster(name: $cluster) {\n    nodes {\n      name\n      ptp {\n        syncState\n        clockClass\n        offsetNs\n      }\n      sriov {\n        syncStatus\n      }\n      dpdk {\n        pods(orderBy: DROPS, limit: $limit) {\n          podName\n          totals {\n            imissed\n            ierrors\n            rx_nombuf\n            drops\n          }\n          ports {\n            pciAddress\n            vf {\n              pciAddress\n            }\n            link {\n              up\n              speedMbps\n            }\n          }\n        }\n      }\n    }\n  }\n}": typeof types.ClustersDocument,
    "query PtpNodes($states: [ClockState!], $clusterLabels: [LabelFilter!]) {\n  ptpNodes(states: $states, clusterLabels: $clusterLabels) {\n    clusterName\n    nodeName\n    syncState\n    offsetNs\n    clockClass\n  }\n}\n\nsubscription PtpClockStateChanged($states: [ClockState!]) {\n  ptpClockStateChanged(states: $states) {\n    eventType\n    previousState\n    currentState\n    process\n    interface\n    offsetNs\n    time\n    node {\n      name\n      cluster {\n        name\n        label(key: \"region\")\n      }\n    }\n  }\n}": typeof types.PtpNodesDocument,
};
const documents: Documents = {
    "query Clusters {\n  clusters {\n    name\n    platform\n    version\n    health {\n      reachable\n      latencyMs\n      lastContact\n      error\n    }\n    nodes {\n      name\n      ready\n      roles\n      kubeletVersion\n    }\n  }\n}\n\nquery ClusterWorkloads($labels: [LabelFilter!]) {\n  clusters(labels: $labels) {\n    name\n    workloads {\n      kind\n      rule\n      pod {\n        namespace\n        name\n        phase\n        nodeName\n      }\n    }\n  }\n}\n\nquery NodeAllocatable($cluster: ID!, $node: ID!) {\n  cluster(name: $cluster) {\n    node(name: $node) {\n      ready\n      allocatable {\n        name\n        value\n      }\n    }\n  }\n}\n\nquery EdgeSite($cluster: ID!, $limit: Int = 3) {\n  cluster(name: $cluster) {\n    nodes {\n      name\n      ptp {\n        syncState\n        clockClass\n        offsetNs\n      }\n      sriov {\n        syncStatus\n      }\n      dpdk {\n        pods(orderBy: DROPS, limit: $limit) {\n          podName\n          totals {\n            imissed\n            ierrors\n            rx_nombuf\n            drops\n          }\n          ports {\n            pciAddress\n            vf {\n              pciAddress\n            }\n            link {\n              up\n              speedMbps\n            }\n          }\n        }\n      }\n    }\n  }\n}": types.ClustersDocument,
    "query PtpNodes($states: [ClockState!], $clusterLabels: [LabelFilter!]) {\n  ptpNodes(states: $states, clusterLabels: $clusterLabels) {\n    clusterName\n    nodeName\n    syncState\n    offsetNs\n    clockClass\n  }\n}\n\nsubscription PtpClockStateChanged($states: [ClockState!]) {\n  ptpClockStateChanged(states: $states) {\n    eventType\n    previousState\n    currentState\n    process\n    interface\n    offsetNs\n    time\n    node {\n      name\n      cluster {\n        name\n        label(key: \"region\")\n      }\n    }\n  }\n}": types.PtpNodesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Clusters {\n  clusters {\n    name\n    platform\n    version\n    health {\n      reachable\n      latencyMs\n      lastContact\n      error\n    }\n    nodes {\n      name\n      ready\n      roles\n      kubeletVersion\n    }\n  }\n}\n\nquery ClusterWorkloads($labels: [LabelFilter!]) {\n  clusters(labels: $labels) {\n    name\n    workloads {\n      kind\n      rule\n      pod {\n        namespace\n        name\n        phase\n        nodeName\n      }\n    }\n  }\n}\n\nquery NodeAllocatable($cluster: ID!, $node: ID!) {\n  cluster(name: $cluster) {\n    node(name: $node) {\n      ready\n      allocatable {\n        name\n        value\n      }\n    }\n  }\n}\n\nquery EdgeSite($cluster: ID!, $limit: Int = 3) {\n  cluster(name: $cluster) {\n    nodes {\n      name\n      ptp {\n        syncState\n        clockClass\n        offsetNs\n      }\n      sriov {\n        syncStatus\n      }\n      dpdk {\n        pods(orderBy: DROPS, limit: $limit) {\n          podName\n          totals {\n            imissed\n            ierrors\n            rx_nombuf\n            drops\n          }\n          ports {\n            pciAddress\n            vf {\n              pciAddress\n            }\n            link {\n              up\n              speedMbps\n            }\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Clusters {\n  clusters {\n    name\n    platform\n    version\n    health {\n      reachable\n      latencyMs\n      lastContact\n      error\n    }\n    nodes {\n      name\n      ready\n      roles\n      kubeletVersion\n    }\n  }\n}\n\nquery ClusterWorkloads($labels: [LabelFilter!]) {\n  clusters(labels: $labels) {\n    name\n    workloads {\n      kind\n      rule\n      pod {\n        namespace\n        name\n        phase\n        nodeName\n      }\n    }\n  }\n}\n\nquery NodeAllocatable($cluster: ID!, $node: ID!) {\n  cluster(name: $cluster) {\n    node(name: $node) {\n      ready\n      allocatable {\n        name\n        value\n      }\n    }\n  }\n}\n\nquery EdgeSite($cluster: ID!, $limit: Int = 3) {\n  cluster(name: $cluster) {\n    nodes {\n      name\n      ptp {\n        syncState\n        clockClass\n        offsetNs\n      }\n      sriov {\n        syncStatus\n      }\n      dpdk {\n        pods(orderBy: DROPS, limit: $limit) {\n          podName\n          totals {\n            imissed\n            ierrors\n            rx_nombuf\n            drops\n          }\n          ports {\n            pciAddress\n            vf {\n              pciAddress\n            }\n            link {\n              up\n              speedMbps\n            }\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PtpNodes($states: [ClockState!], $clusterLabels: [LabelFilter!]) {\n  ptpNodes(states: $states, clusterLabels: $clusterLabels) {\n    clusterName\n    nodeName\n    syncState\n    offsetNs\n    clockClass\n  }\n}\n\nsubscription PtpClockStateChanged($states: [ClockState!]) {\n  ptpClockStateChanged(states: $states) {\n    eventType\n    previousState\n    currentState\n    process\n    interface\n    offsetNs\n    time\n    node {\n      name\n      cluster {\n        name\n        label(key: \"region\")\n      }\n    }\n  }\n}"): (typeof documents)["query PtpNodes($states: [ClockState!], $clusterLabels: [LabelFilter!]) {\n  ptpNodes(states: $states, clusterLabels: $clusterLabels) {\n    clusterName\n    nodeName\n    syncState\n    offsetNs\n    clockClass\n  }\n}\n\nsubscription PtpClockStateChanged($states: [ClockState!]) {\n  ptpClockStateChanged(states: $states) {\n    eventType\n    previousState\n    currentState\n    process\n    interface\n    offsetNs\n    time\n    node {\n      name\n      cluster {\n        name\n        label(key: \"region\")\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;