// Structured logs: one JSON line per event (pino). Tokens are never passed to the logger; the
// redact list is a second line of defence for headers that might carry them.
import { pino } from 'pino';

export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  redact: ['authorization', 'headers.authorization', 'token', '*.token', 'connectionParams.authorization'],
  base: undefined,
});

export type Logger = typeof log;
