/** The host's logger (pino); HostLogger is the subset plugins get. */
import pino from 'pino';
import type { HostLogger } from '../../plugin/host';
import type { RequestHandler } from 'express';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): HostLogger {
  return pino({ level, base: { app: 'reference-host' } });
}

export const silentLogger: HostLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** One line per request; the query string is left out because it can carry names being searched. */
export function requestLog(logger: HostLogger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const line = { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.debug(line, 'request');
    });
    next();
  };
}
