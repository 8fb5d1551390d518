// The HTTP endpoint cloud-event-proxy posts PTP events to (`POST /ptp-events/<token>`, the
// EndpointUri of event-push.ts). The token is the only credential a proxy has: an unknown one is 404,
// a body that is not a CloudEvent 400, an accepted event 204 No Content, and so is the empty POST with
// which the proxy checks an endpoint before subscribing it. The body is checked, not
// trusted: the event only wakes the cluster's poll, which reads the state through the API server.
import express from 'express';
import type { PtpEventPush } from './event-push.js';

const MAX_EVENT_BYTES = 64 * 1024;

function isCloudEvent(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const e = body as Record<string, unknown>;
  return typeof e.type === 'string' && typeof e.source === 'string';
}

export function ptpEventRoutes(push: PtpEventPush): (app: express.Express) => void {
  return (app) => {
    app.post(
      '/ptp-events/:token',
      // Parsed whatever the Content-Type (proxies send application/json or application/cloudevents+json).
      express.text({ type: () => true, limit: MAX_EVENT_BYTES }),
      (req, res, next) => {
        const token = req.params.token;
        const text = typeof req.body === 'string' ? req.body : '';
        const answer = async () => {
          // cloud-event-proxy checks an EndpointUri before subscribing it: an empty POST that must get 204.
          if (text.trim() === '') {
            if (await push.knows(token)) return void res.status(204).end();
            return void res.status(404).json({ error: 'no such subscription', code: 'NOT_FOUND' });
          }
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          if (!isCloudEvent(body)) return void res.status(400).json({ error: 'expected a CloudEvent (JSON with type and source)', code: 'BAD_REQUEST' });
          if ((await push.receive(token)) === undefined) return void res.status(404).json({ error: 'no such subscription', code: 'NOT_FOUND' });
          res.status(204).end();
        };
        answer().catch(next);
      },
    );
    // Body too large or unreadable: a JSON answer with a code, not Express's HTML page.
    app.use('/ptp-events', ((err, _req, res, next) => {
      if (!err) return next();
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 400;
      res.status(status).json({ error: status === 413 ? `event larger than ${MAX_EVENT_BYTES} bytes` : 'unreadable request body', code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' });
    }) as express.ErrorRequestHandler);
  };
}
