import pino from 'pino';
import type { Log } from './platforms/types.js';

export function nodeLog(level: string): Log {
  const logger = pino({ level, base: { service: 'xiaoan' }, timestamp: pino.stdTimeFunctions.isoTime });
  return {
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) => logger.info(obj, msg),
    warn: (obj, msg) => logger.warn(obj, msg),
    error: (obj, msg) => logger.error(obj, msg),
  };
}
