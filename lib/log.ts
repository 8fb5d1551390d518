// Structured logs: one JSON line per event (pino). Tokens are never passed to the logger; the redact
// list is a second line of defence for headers that might carry them. The level is set once by each
// entry point from its config (`setLogLevel`), never read from the environment here.
import { pino } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const log = pino({
  level: 'info',
  redact: ['authorization', 'headers.authorization', 'token', '*.token', 'connectionParams.authorization'],
  base: undefined,
});

export type Logger = typeof log;

export function setLogLevel(level: LogLevel): void {
  log.level = level;
}
