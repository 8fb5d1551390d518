// The keys of the fleet's shared entities, as every domain subgraph receives them in entity
// references (`@key` fields of Cluster, Node, Pod in schema/fleet.graphql).
export interface ClusterRef {
  name: string;
}

export interface NodeRef {
  clusterName: string;
  name: string;
}

export interface PodRef {
  clusterName: string;
  namespace: string;
  name: string;
}
