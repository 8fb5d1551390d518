// Per-request context of the timing subgraph (filled in by server.ts).
export interface TimingContext {
  placeholder?: never;
}
