import type { HostLogger } from '../host';

/**
 * What the module logs about an error: its shape and ids, never the values it carried. A database
 * error's message holds the whole statement (ledger cells, webhook payloads, phone numbers), so it is
 * left out; the driver's own message is kept only with its quoted values blanked.
 */
export interface ErrorShape {
  type: string;
  code?: string;
  errno?: number;
  sqlState?: string;
  /** The table the failing statement wrote or read, when the statement names it first. */
  table?: string;
  /** The driver's message with quoted values replaced (column and key names kept). */
  reason?: string;
  /** Our own errors' messages are written by us and carry no personal data. */
  message?: string;
  /** The top frames, for where; never the first stack line, which repeats the message. */
  at?: string[];
}

const MAX_REASON = 160;

/** Replaces every quoted value except the name right after "column", "key", "table", "index" or "constraint". */
function blankValues(msg: string): string {
  return msg
    .replace(/(\b(?:column|key|table|index|constraint)\s+)?'((?:[^'\\]|\\.)*)'/gi, (all, named: string | undefined) =>
      named ? all : "'…'",
    )
    .slice(0, MAX_REASON);
}

function tableOf(sql: unknown): string | undefined {
  if (typeof sql !== 'string') return undefined;
  const m = /^\s*(?:insert(?:\s+ignore)?\s+into|update|delete\s+from|select\b[\s\S]{0,400}?\bfrom|replace\s+into)\s+[`"]?(\w+)[`"]?/i.exec(
    sql.slice(0, 600),
  );
  return m?.[1];
}

function frames(stack: unknown): string[] | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n').filter((l) => /^\s+at /.test(l));
  // Our own frames say where; a driver's internals (node_modules, node:) only when there is nothing else.
  const ours = lines.filter((l) => !/node_modules|\(node:/.test(l));
  return (ours.length ? ours : lines).slice(0, 4).map((l) => l.trim().slice(0, 200));
}

/** Errors we raise ourselves (typed, load-time): their messages name fields, not people. */
function isOwn(err: Error): boolean {
  return ['UnionError', 'Invalid', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'ConfigError', 'AbortError'].includes(err.name);
}

export function errorShape(err: unknown): ErrorShape {
  if (!(err instanceof Error)) return { type: err === null ? 'null' : typeof err };
  const e = err as Error & { code?: unknown; errno?: unknown; sqlState?: unknown; sqlMessage?: unknown; sql?: unknown };
  const shape: ErrorShape = { type: e.constructor?.name && e.constructor.name !== 'Error' ? e.constructor.name : e.name };
  if (typeof e.code === 'string') shape.code = e.code.slice(0, 64);
  if (typeof e.errno === 'number') shape.errno = e.errno;
  if (typeof e.sqlState === 'string') shape.sqlState = e.sqlState.slice(0, 8);
  const table = tableOf(e.sql);
  if (table) shape.table = table;
  if (typeof e.sqlMessage === 'string') shape.reason = blankValues(e.sqlMessage);
  if (isOwn(e)) shape.message = e.message.slice(0, MAX_REASON);
  const at = frames(e.stack);
  if (at?.length) shape.at = at;
  return shape;
}

/**
 * The host's logger as the module uses it: an Error under `err` is logged by its shape, whichever
 * service logs it (an import that failed in the background, a notification, a job), so no code path
 * can put a statement full of ledger cells into the host's log by forgetting to.
 */
export function safeLogger(logger: HostLogger): HostLogger {
  const shaped = (obj: unknown) => {
    if (!obj || typeof obj !== 'object' || !((obj as { err?: unknown }).err instanceof Error)) return obj;
    return { ...obj, err: errorShape((obj as { err: unknown }).err) };
  };
  return {
    debug: (obj, msg) => logger.debug(shaped(obj), msg),
    info: (obj, msg) => logger.info(shaped(obj), msg),
    warn: (obj, msg) => logger.warn(shaped(obj), msg),
    error: (obj, msg) => logger.error(shaped(obj), msg),
  };
}
