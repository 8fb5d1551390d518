// Authentication and authorization hooks of the subscription server. The WebSocket client sends the
// same credentials as an HTTP client, in the `connection_init` payload (e.g. `{authorization: 'Bearer …'}`);
// `authenticate` turns them into a Principal once per connection, `authorize` checks every subscription.
// The full auth model comes later; these are the seams it plugs into.
import type { IncomingMessage } from 'node:http';
import type { DocumentNode } from 'graphql';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../lib/principal.js';

export type { Principal } from '../../lib/principal.js';

export interface ConnectionInitContext {
  /** The `connection_init` payload ({} when absent). Contains credentials: never log it. */
  connectionParams: Readonly<Record<string, unknown>>;
  /** The HTTP upgrade request (headers, remote address). */
  request: IncomingMessage;
}

/** Returns the connection's principal, or null to refuse it (closed with 4403 Forbidden). */
export type Authenticate = (ctx: ConnectionInitContext) => Principal | null | Promise<Principal | null>;

export interface AuthorizeRequest {
  document: DocumentNode;
  operationName: string | undefined;
  variables: Readonly<Record<string, unknown>>;
  /** The subscription root field, e.g. "ptpClockStateChanged". */
  rootField: string;
  /** The subgraph that owns the root field. */
  subgraph: string;
}

/** Per subscription: false refuses it with a FORBIDDEN error (the connection stays open). */
export type Authorize = (principal: Principal, operation: AuthorizeRequest) => boolean | Promise<boolean>;

/** Until the auth model lands: everybody is the anonymous principal of scope "public", as over HTTP. */
export const allowAnonymous: Authenticate = () => ANONYMOUS_PRINCIPAL;
export const allowAll: Authorize = () => true;

/**
 * The bearer token in a connection_init payload, accepting the shapes clients use:
 * `{authorization}`, `{Authorization}`, `{headers: {authorization}}`; with or without "Bearer ".
 */
export function bearerToken(connectionParams: Readonly<Record<string, unknown>>): string | undefined {
  const headers = connectionParams.headers;
  const nested = headers && typeof headers === 'object' ? (headers as Record<string, unknown>) : {};
  const raw = connectionParams.authorization ?? connectionParams.Authorization ?? nested.authorization ?? nested.Authorization;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(raw.trim());
  return match ? match[1] : raw.trim();
}
