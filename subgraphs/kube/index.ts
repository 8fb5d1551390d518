// Fleet access: what the subgraphs import. See each module for details.
export { Resources, apiVersionOf, withTypeMeta, kindKeyOf, refId, collectionPath, objectPath, statusPath, listPath, watchPath, withQuery, proxyPath } from './resources.js';
export type { ResourceRef, ResourceName, ListParams, WatchParams, ProxyTarget } from './resources.js';
export { isStatus, objectKey } from './objects.js';
export type { KubeObject, ObjectMeta, OwnerReference, KubeList, KubeStatus, WatchEvent, WatchEventType, VersionInfo, Node, NodeCondition, Pod, Container, ContainerStatus, ContainerPort } from './objects.js';
export { ClusterError, fromCluster, toClusterError, toGraphQLError, errorFromResponse, errorFromStatus, errorFromTransport, unknownCluster, codeForHttpStatus, redact } from './errors.js';
export type { ClusterErrorCode, ClusterErrorExtensions } from './errors.js';
export { matchesFilter, matchesFilters, parseLabelSelector, validateLabelFilters } from './labels.js';
export type { LabelFilter, LabelOperator } from './labels.js';
export { ClusterClient, clusterLooksDown } from './client.js';
export { HealthRecord } from './health.js';
export { ClusterPolicy } from './resilience.js';
export type { ResilienceOptions } from './resilience.js';
export { ClusterTransport, secureContextFor, PATCH_TYPES } from './transport.js';
export { ClusterConnections } from './connections.js';
export type { ConnectionStats, WireProtocol, ClusterConnectionsOptions } from './connections.js';
export { openWatch, watchEvents, parseWatchEvent } from './watch-stream.js';
export type { ClusterHealth, ClusterClientOptions, ClusterReader, CallOptions, ListOptions, ListResult, WatchOptions, WatchStream } from './client.js';
export { ClusterRegistry, DEFAULT_CONCURRENCY, DEFAULT_DEADLINE_MS } from './registry.js';
export type { ClusterEntry, ClusterFilter, RegistryChange, ClusterRegistryOptions, SharedClientOptions } from './registry.js';
export { parseFleetFile, readFleetFile, mergedSettings, domainSettings } from './fleet-file.js';
export type { FleetFile, ClusterSettings, SettingsGroup, SettingsByDomain, DomainSettingsMap } from './fleet-file.js';
export { WatchCache } from './watch-cache.js';
export type { WatchChange, WatchChangeType, WatchScope, WatchCacheOptions, ListenOptions } from './watch-cache.js';
export { Reflector } from './reflector.js';
export type { ReflectorOptions } from './reflector.js';
export { ObjectStore, NAMESPACE_INDEX } from './object-store.js';
export type { IndexFunction } from './object-store.js';
export { ChangeDispatcher, DEFAULT_MAX_QUEUED_CHANGES } from './change-dispatcher.js';
export type { ChangeListener } from './change-dispatcher.js';
export { WatchCacheRegistry } from './watch-cache-registry.js';
export type { FleetChange, WatchedFleet, SharedCacheOptions } from './watch-cache-registry.js';
export { createKubeLoaders } from './loaders.js';
export { perCluster } from './per-cluster.js';
export type { KubeLoaders, ListKey, GetKey, ClientSource, CacheSource, KubeLoaderOptions } from './loaders.js';
export { eventIterator } from './async-queue.js';
export {
  NETWORKS_ANNOTATION,
  NETWORK_STATUS_ANNOTATION,
  LEGACY_NETWORK_STATUS_ANNOTATION,
  DEFAULT_NETWORK_ANNOTATION,
  networkRef,
  parseNetworksAnnotation,
  podNetworkRequests,
  parseNetworkStatus,
  podNetworkStatus,
  statusNetworkRef,
  podDevices,
  holdsDevices,
  deviceKey,
} from './multus.js';
export type { NetworkRef, NetworkRequest, ParsedNetworks, NetworkStatusEntry, DeviceInfo, PciDeviceInfo, VdpaDeviceInfo, NetworkDns, PodDevice } from './multus.js';
export { fanOut, selectClusters, withErrorEntries, DEFAULT_FAN_OUT_CONCURRENCY } from './fan-out.js';
export type { FanOut, FanOutFleet, FanOutOptions, FleetSelection, ClusterWork } from './fan-out.js';
export { PollFeeds, ClusterPollFeed } from './poll-feed.js';
export type { PollFeedOptions, FeedFleet } from './poll-feed.js';
export { Limiter } from './limiter.js';
export { checkedEvents, checkTarget, failedEvents, unknownNode } from './subscription-target.js';
export type { SubscriptionTarget, TargetLookup } from './subscription-target.js';
