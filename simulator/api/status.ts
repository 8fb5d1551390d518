// metav1.Status errors as the real API server writes them, so clients (kubectl, client-node) print and
// branch on them exactly as against a real cluster.
import { qualifiedResource, type KindInfo } from '../kinds.js';
import { StoreError } from '../store.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  /** Failures only: a Success Status carries no code (omitempty; the HTTP status says 200). */
  code?: number;
}

/** An error that is answered with a Status body and its HTTP code. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** `details` of a Status about an object: empty strings are omitted, as the real server's omitempty does. */
function details(kind: KindInfo, name: string | undefined, kindName: string, extra: StatusDetails = {}): StatusDetails {
  return { ...(name ? { name } : {}), ...(kind.group ? { group: kind.group } : {}), kind: kindName, ...extra };
}

export function successStatus(kind: KindInfo, name: string, uid?: string): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: details(kind, name, kind.plural, uid ? { uid } : {}),
  };
}

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const resourceNotFound = (): ApiError =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const methodNotAllowed = (): ApiError =>
  new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export function notFound(kind: KindInfo, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(kind)} "${name}" not found`, details(kind, name, kind.plural));
}

export function alreadyExists(kind: KindInfo, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(kind)} "${name}" already exists`, details(kind, name, kind.plural));
}

export function conflict(kind: KindInfo, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(kind)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(kind, name, kind.plural),
  );
}

/** 422 with one cause per field, message `<Kind>.<group> "<name>" is invalid: [...]` as upstream. */
export function invalid(kind: KindInfo, name: string, causes: StatusCause[]): ApiError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, details(kind, name, kind.kind, { causes }));
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function forbidden(
  user: string,
  verb: string,
  kind: KindInfo,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): ApiError {
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const target = name ? `${qualifiedResource(kind)} "${name}"` : qualifiedResource(kind);
  const resource = subresource ? `${kind.plural}/${subresource}` : kind.plural;
  return new ApiError(
    403,
    'Forbidden',
    `${target} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${kind.group}" ${scope}`,
    details(kind, name, kind.plural),
  );
}

/** 403 for a non-resource URL (discovery, /openapi, /version), as the real authorizer words it. */
export function forbiddenPath(user: string, path: string): ApiError {
  return new ApiError(403, 'Forbidden', `forbidden: User "${user}" cannot get path "${path}"`, {});
}

/** Maps an object store error to the Status the real server gives for the same condition. */
export function fromStoreError(err: unknown, kind: KindInfo, name: string): unknown {
  if (!(err instanceof StoreError)) return err;
  switch (err.reason) {
    case 'NotFound':
      return notFound(kind, name);
    case 'AlreadyExists':
      return alreadyExists(kind, name);
    case 'Conflict':
      return conflict(kind, name);
    case 'Expired':
      return expired(err.message);
    case 'Invalid':
      return invalid(kind, name, [{ message: err.message }]);
  }
}
