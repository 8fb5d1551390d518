// Jest setup: the log level every product entry point would set from its config (silent under
// NODE_ENV=test unless LOG_LEVEL says otherwise).
import { logLevelFrom } from '../lib/config.js';
import { setLogLevel } from '../lib/log.js';

setLogLevel(logLevelFrom(process.env));
