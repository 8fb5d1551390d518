// The answers the simulated backends give through the API server's pod/service proxy, and the request
// they are given, shared by the exporters (index.ts) and the PTP events API (ptp-events.ts).

export interface ProxyResponse {
  status: number;
  /** Empty for a response without a body (204). */
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** A backend answers at once, or (the PTP events API checking a subscriber's endpoint) after a request of its own. */
export type Answer = ProxyResponse | Promise<ProxyResponse>;

/** The proxied request as the backend sees it. */
export interface BackendRequest {
  method: string;
  url: URL;
  body?: Buffer;
}

export const JSON_TYPE = 'application/json';
export const TEXT_TYPE = 'text/plain; charset=utf-8';

export const NOT_FOUND: ProxyResponse = { status: 404, contentType: TEXT_TYPE, body: '404 page not found\n' };

/** What Go's ServeMux answers when a `GET /path` pattern matches the path but not the method. */
export const METHOD_NOT_ALLOWED: ProxyResponse = {
  status: 405,
  contentType: TEXT_TYPE,
  body: 'Method Not Allowed\n',
  headers: { Allow: 'GET, HEAD', 'X-Content-Type-Options': 'nosniff' },
};

export function jsonResponse(status: number, body: unknown): ProxyResponse {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(body) };
}

export const readsOnly = (method: string): boolean => method === 'GET' || method === 'HEAD';
