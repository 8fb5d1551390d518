// Errors raised before Apollo Server sees a request — a body that is not JSON, too large, in an
// unsupported encoding — answered like every other GraphQL error (`{errors:[{message, extensions:
// {code}}]}` with a 4xx status) instead of Express's HTML page, and logged as one structured line
// instead of a stack trace. Anything else that reaches here is a gateway bug: 500, logged once.
import type { ErrorRequestHandler } from 'express';
import { log } from '../lib/log.js';

/** What body-parser (express.json) attaches to its errors. */
interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  length?: number;
  message?: string;
}

function classify(err: BodyParserError): { status: number; code: string; message: string } {
  switch (err.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'BAD_REQUEST', message: `The request body is not valid JSON: ${err.message}` };
    case 'entity.too.large':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${err.limit} bytes.` };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'BAD_REQUEST', message: `Unsupported request body: ${err.message}` };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, code: 'BAD_REQUEST', message: `The request body could not be read: ${err.message}` };
  }
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error.' };
}

export function requestErrorHandler(): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = (err && typeof err === 'object' ? err : { message: String(err) }) as BodyParserError;
    const { status, code, message } = classify(e);
    const fields = { status, code, method: req.method, path: req.originalUrl, err: e.message, length: e.length };
    if (status >= 500) log.error(fields, 'GraphQL request failed');
    else log.warn(fields, 'bad GraphQL request');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
