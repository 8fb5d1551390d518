// Per-request context of the fleet subgraph.
export interface FleetContext {
  placeholder?: never;
}
