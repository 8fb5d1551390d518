// Per-request (and per-subscription) context of the oda subgraph: fresh loaders each time; the reader
// (served versions, not-ready clock) and the feed parts are shared by the whole process.
import type { KubeRequestContext } from '../common/fleet-access.js';
import type { OdaFeedParts } from './events.js';
import type { OdaLoaders } from './loaders.js';
import type { OdaReader } from './reader.js';

export interface OdaContext extends KubeRequestContext {
  reader: OdaReader;
  loaders: OdaLoaders;
  feeds: OdaFeedParts;
  /** ms since epoch (the registry check's clock). */
  now(): number;
  /**
   * Replaces the loaders with fresh ones. A graphql-ws subscription keeps one context for its whole life;
   * each event calls this so its fields read current data, not the first event's.
   */
  renew(): void;
}
