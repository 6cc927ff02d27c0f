/** The host's logger (pino); HostLogger is the subset plugins get. */
import pino from 'pino';
import type { DestinationStream } from 'pino';
import type { HostLogger } from '../../plugin/host';
import type { RequestHandler } from 'express';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): HostLogger {
  const options = { level, base: { app: 'reference-host' }, serializers: { err: errorShape } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * An error as the log shows it: class, codes, the table and the driver's reason with values blanked.
 * Never the message of a database error (knex puts the whole statement, with every value, in it) and
 * never the stack's first line (which repeats the message).
 */
export function errorShape(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & { code?: unknown; errno?: unknown; sqlState?: unknown; sqlMessage?: unknown; sql?: unknown; status?: unknown };
  const shape: Record<string, unknown> = { type: e.constructor?.name ?? e.name };
  for (const k of ['code', 'errno', 'sqlState', 'status'] as const)
    if (typeof e[k] === 'string' || typeof e[k] === 'number') shape[k] = e[k];
  const table = typeof e.sql === 'string' ? /^\s*(?:insert\s+into|update|delete\s+from)\s+[`"]?(\w+)/i.exec(e.sql)?.[1] : undefined;
  if (table) shape.table = table;
  if (typeof e.sqlMessage === 'string')
    shape.reason = e.sqlMessage.replace(/(\b(?:column|key|table)\s+)?'[^']*'/gi, (all, named) => (named ? all : "'…'")).slice(0, 160);
  if (typeof e.stack === 'string')
    shape.at = e.stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 4)
      .map((l) => l.trim());
  return shape;
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
