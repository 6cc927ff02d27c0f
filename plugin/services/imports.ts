/**
 * The state of ledger imports, kept in the database so that any instance can report progress, and a
 * run whose instance died (its heartbeat stopped) is failed and cleaned up instead of running forever.
 */
import type { Knex } from 'knex';
import type { Actor, Ctx, Trx } from '../context';
import { Conflict, NotFound, UnionError } from '../errors';
import { chunks, inTransaction, type Db } from '../lib/db';
import { asDate, fromSqlDateTime, sqlDateTime } from '../lib/time';
import { writeAudit } from './audit';
import type { ParsedLedger, RowProblem } from '../sync/ledger-parse';
import { emptyCounts, REJECTED, type ClassifiedRow, type Counts, type Reason, type RowClass } from '../sync/ledger-match';

export type ImportPhase = 'dry_run' | 'commit';
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

/** How often the instance running an import beats its heartbeat (sync/ledger-heartbeat). */
export const HEARTBEAT_MS = 5_000;
/** No heartbeat for this long means the instance running the import is gone. */
export const STALE_AFTER_MS = 30_000;
const ACTIVE: ImportStatus[] = ['queued', 'running'];
const SYSTEM: Actor = { id: 'system:import-recovery', kind: 'system' };

/**
 * The imports this instance is working on, per plugin context (from the moment it creates or claims one
 * until its run ends): these are alive whatever their heartbeat says; any other that names this
 * instance as its worker was left by a process that died.
 */
const held = new WeakMap<Ctx, Map<number, NodeJS.Timeout | null>>();
function heldBy(ctx: Ctx): Map<number, NodeJS.Timeout | null> {
  let m = held.get(ctx);
  if (!m) held.set(ctx, (m = new Map()));
  return m;
}

/** Beats the import's heartbeat every HEARTBEAT_MS while its run lasts; call the returned function when it ends. */
export function keepAlive(ctx: Ctx, id: number): () => void {
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    beat(ctx, id)
      .catch((err: unknown) => ctx.host.logger.warn({ err, importId: id }, 'union: import heartbeat failed'))
      .finally(() => (inFlight = false));
  }, HEARTBEAT_MS);
  timer.unref();
  heldBy(ctx).set(id, timer);
  return () => {
    clearInterval(timer);
    heldBy(ctx).delete(id);
  };
}

export interface ImportMeta {
  header: string[];
  columns: ParsedLedger['columns'];
  encoding: string | null;
  sheet: string | null;
  headerLine: number;
}

export interface CommitResult {
  imported: number;
  /** Exited rows imported as ended memberships. */
  expired: number;
  /** Retirees' rows imported as kept memberships (保留会籍). Absent in results of imports before it was counted. */
  retained?: number;
  already: number;
  rejected: number;
  /** Rows whose class changed between the dry run and the commit (someone else changed memberships meanwhile). */
  changedSinceDryRun: number;
}

export interface ImportRecord {
  id: number;
  filename: string;
  format: string;
  phase: ImportPhase;
  status: ImportStatus;
  total: number;
  processed: number;
  counts: Counts;
  result: CommitResult | null;
  meta: ImportMeta;
  error: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  committedBy: string | null;
  committedAt: string | null;
}

const json = <T>(v: unknown, fallback: T): T => (v === null || v === undefined || v === '' ? fallback : (JSON.parse(String(v)) as T));

function toRecord(ctx: Ctx, r: Record<string, unknown>): ImportRecord {
  let status = r.status as ImportStatus;
  let error = (r.error as string | null) ?? null;
  const beat = fromSqlDateTime(String(r.heartbeat_at ?? r.updated_at));
  if (ACTIVE.includes(status) && beat && ctx.now().getTime() - beat.getTime() > STALE_AFTER_MS) {
    status = 'failed';
    error = error ?? 'stalled: the instance running this import stopped reporting';
  }
  return {
    id: Number(r.id),
    filename: String(r.filename),
    format: String(r.format),
    phase: r.phase as ImportPhase,
    status,
    total: Number(r.total),
    processed: Number(r.processed),
    counts: { ...emptyCounts(), ...json<Partial<Counts>>(r.counts, {}) },
    result: json<CommitResult | null>(r.result, null),
    meta: json<ImportMeta>(r.meta, { header: [], columns: {}, encoding: null, sheet: null, headerLine: 0 }),
    error,
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    committedBy: (r.committed_by as string | null) ?? null,
    committedAt: r.committed_at ? String(r.committed_at) : null,
  };
}

export async function createImport(
  ctx: Ctx,
  actor: Actor,
  input: { filename: string; format: string; total: number; meta: ImportMeta },
): Promise<number> {
  // The next attempt is where an import left by a dead instance shows up, if startup has not cleaned it.
  await recoverStale(ctx);
  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.nowSql();
    const [id] = await trx('union_imports').insert({
      filename: input.filename.slice(0, 255),
      format: input.format,
      phase: 'dry_run',
      status: 'queued',
      total: input.total,
      processed: 0,
      meta: JSON.stringify(input.meta),
      worker: ctx.instanceId,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      heartbeat_at: now,
    });
    heldBy(ctx).set(Number(id), null);
    await writeAudit(ctx, trx, actor, {
      action: 'import.upload',
      entity: 'import',
      entityId: Number(id),
      after: { filename: input.filename, rows: input.total },
    });
    return Number(id);
  });
}

export async function getImport(ctx: Ctx, id: number, db: Db = ctx.db): Promise<ImportRecord> {
  const row = await db('union_imports').where({ id }).first();
  if (!row) throw new NotFound('No such import');
  return toRecord(ctx, row);
}

export async function listImports(ctx: Ctx, limit = 20): Promise<ImportRecord[]> {
  const rows = await ctx.db('union_imports').orderBy('id', 'desc').limit(limit).select();
  return rows.map((r) => toRecord(ctx, r));
}

/** The import as this instance holds it: still queued or running, and still ours (recovery has not taken it). */
const ours = (ctx: Ctx, db: Db, id: number) => db('union_imports').where({ id, worker: ctx.instanceId }).whereIn('status', ACTIVE);

const takenOver = () =>
  new Conflict('This import was stopped: its heartbeat was missed and it was marked failed; run it again').because('import_stalled');

export async function markRunning(ctx: Ctx, id: number, phase: ImportPhase): Promise<void> {
  const now = ctx.nowSql();
  const n = await ours(ctx, ctx.db, id).update({ phase, status: 'running', processed: 0, updated_at: now, heartbeat_at: now });
  if (n !== 1) throw takenOver();
}

/** Says this instance is still working on the import. Written outside any transaction so other instances see it at once. */
export async function beat(ctx: Ctx, id: number): Promise<boolean> {
  return (await ours(ctx, ctx.db, id).update({ heartbeat_at: ctx.nowSql() })) === 1;
}

/** A progress report, and a heartbeat too. */
export async function reportProgress(ctx: Ctx, id: number, processed: number): Promise<void> {
  const now = ctx.nowSql();
  await ours(ctx, ctx.db, id).update({ processed, updated_at: now, heartbeat_at: now });
}

export async function finishDryRun(ctx: Ctx, id: number, total: number, counts: Counts): Promise<void> {
  const n = await ours(ctx, ctx.db, id).update({
    status: 'done',
    processed: total,
    counts: JSON.stringify(counts),
    error: null,
    updated_at: ctx.nowSql(),
  });
  if (n !== 1) throw takenOver();
}

/** Inside the commit's transaction, so the import is marked committed exactly when the memberships are. */
export async function finishCommit(
  ctx: Ctx,
  trx: Trx,
  actor: Actor,
  id: number,
  total: number,
  counts: Counts,
  result: CommitResult,
): Promise<void> {
  const now = ctx.nowSql();
  const n = await ours(ctx, trx, id).update({
    status: 'done',
    processed: total,
    counts: JSON.stringify(counts),
    result: JSON.stringify(result),
    error: null,
    committed_by: actor.id,
    committed_at: now,
    updated_at: now,
  });
  // Recovery declared this run dead meanwhile: the memberships roll back with the transaction.
  if (n !== 1) throw takenOver();
  await writeAudit(ctx, trx, actor, { action: 'import.commit', entity: 'import', entityId: id, after: result });
  // The ledger's own cells (phone numbers and all) are kept only where the rejects file needs them.
  await trx('union_import_rows')
    .where({ import_id: id })
    .whereNotIn('class', [...REJECTED])
    .update({ raw: '[]' });
}

export async function failImport(ctx: Ctx, id: number, phase: ImportPhase, err: unknown): Promise<void> {
  // A typed error speaks to the user; anything else (SQL, a bug) goes to the log, never to the page.
  if (!(err instanceof UnionError)) ctx.host.logger.error({ err, importId: id, phase }, 'union: ledger import failed');
  const message = err instanceof UnionError ? err.message.slice(0, 500) : 'internal error (details are in the server log)';
  // A failed dry run leaves no rows behind; a failed commit keeps the dry run's rows, so it can be tried again.
  if (phase === 'dry_run') await ctx.db('union_import_rows').where({ import_id: id }).delete();
  await ctx.db('union_imports').where({ id }).update({ status: 'failed', error: message, updated_at: ctx.nowSql() });
}

/**
 * Takes the import for its commit with one conditional UPDATE, so two clicks (or two instances) cannot
 * both commit it. A finished dry run or a failed commit can be taken; a commit whose instance died is
 * first found by its stale heartbeat and failed (recoverStale), so it can be taken at once.
 */
export async function claimCommit(ctx: Ctx, id: number, status: 'queued' | 'running'): Promise<ImportRecord> {
  await recoverStale(ctx);
  const now = ctx.nowSql();
  // Held before the claim is written, so that no recovery running meanwhile here takes the claimed run for dead.
  const mine = heldBy(ctx);
  const wasHeld = mine.has(id);
  if (!wasHeld) mine.set(id, null);
  const n = await ctx
    .db('union_imports')
    .where({ id })
    .andWhere((q) => q.where({ phase: 'dry_run', status: 'done' }).orWhere((q2) => q2.where({ phase: 'commit', status: 'failed' })))
    .update({ phase: 'commit', status, processed: 0, error: null, worker: ctx.instanceId, updated_at: now, heartbeat_at: now });
  if (n !== 1 && !wasHeld) mine.delete(id);
  const imp = await getImport(ctx, id);
  if (n === 1) return imp;
  if (imp.phase === 'commit' && imp.status === 'done')
    throw new Conflict('This import has already been committed').because('import_committed');
  throw new Conflict(`This import cannot be committed while its ${imp.phase === 'commit' ? 'commit' : 'dry run'} is ${imp.status}`).because(
    'import_busy',
  );
}

/**
 * Fails every import whose runner is gone: its heartbeat is older than STALE_AFTER_MS, or it names this
 * instance as its worker although nothing here holds it (the process that ran it died and this one
 * took its place). A dead dry run's staged rows, with the ledger's personal data, are deleted; a dead
 * commit rolled back with its process and keeps the dry run's rows, so it can be committed again.
 * Runs on enable and before each new upload or commit. One transaction and one audit row per import.
 */
export async function recoverStale(ctx: Ctx): Promise<number[]> {
  const mine = heldBy(ctx);
  const staleBefore = sqlDateTime(new Date(ctx.now().getTime() - STALE_AFTER_MS));
  const dead = (q: Knex.QueryBuilder) =>
    q.whereRaw('coalesce(heartbeat_at, updated_at) < ?', [staleBefore]).orWhere({ worker: ctx.instanceId });
  const candidates: Array<{ id: number; phase: ImportPhase; worker: string | null }> = await ctx
    .db('union_imports')
    .whereIn('status', ACTIVE)
    .andWhere(dead)
    .select('id', 'phase', 'worker');
  const recovered: number[] = [];
  for (const c of candidates) {
    const id = Number(c.id);
    if (mine.has(id)) continue;
    const done = await inTransaction(ctx.db, async (trx) => {
      // Conditional again: the runner may have beaten, or another instance recovered it, since the read.
      const n = await trx('union_imports')
        .where({ id })
        .whereIn('status', ACTIVE)
        .andWhere(dead)
        .update({ status: 'failed', error: 'stalled: the instance running this import stopped', updated_at: ctx.nowSql() });
      if (n !== 1) return false;
      const deleted = c.phase === 'dry_run' ? await trx('union_import_rows').where({ import_id: id }).delete() : 0;
      await writeAudit(ctx, trx, SYSTEM, {
        action: 'import.recover',
        entity: 'import',
        entityId: id,
        before: { phase: c.phase, worker: c.worker },
        after: { status: 'failed', rowsDeleted: deleted },
      });
      return true;
    });
    if (done) recovered.push(id);
  }
  if (recovered.length) ctx.host.logger.warn({ imports: recovered }, 'union: ledger imports whose instance died were marked failed');
  return recovered;
}

// ---- rows --------------------------------------------------------------------------------------

export const PARSE_PROBLEMS = new Set(['required', 'bad_date', 'too_long', 'no_identity']);

/** What the dry run or the commit decided about a row: every column but the row's own cells. */
function outcomeColumns(importId: number, r: ClassifiedRow) {
  return {
    import_id: importId,
    line: r.line,
    seq: r.seq?.slice(0, 32) ?? null,
    name: r.name.slice(0, 64),
    employee_no: r.employeeNo.slice(0, 64),
    department: r.department.slice(0, 100),
    member_no: r.memberNo.slice(0, 64),
    joined_at: r.joinedAt,
    class: r.class,
    reason: r.reason ? JSON.stringify(r.reason) : null,
    employee_id: r.employee?.id ?? null,
    matched_no: r.employee?.employeeNo.slice(0, 64) ?? null,
    matched_name: r.employee?.name.slice(0, 64) ?? null,
    department_id: r.employee?.departmentId ?? null,
    exit_date: r.employee?.exitDate ?? null,
    retired: r.employee?.retired ?? false,
  };
}
const OUTCOME_COLUMNS = Object.keys(
  outcomeColumns(0, { line: 0, name: '', employeeNo: '', department: '', memberNo: '' } as ClassifiedRow),
);

function rowToDb(importId: number, r: ClassifiedRow) {
  // Object.assign, not a spread: V8 gives a spread copy a property store several times the size.
  return Object.assign(outcomeColumns(importId, r), { raw: JSON.stringify(r.raw) });
}

export interface StoredRow extends ClassifiedRow {
  id: number;
}

function rowFromDb(r: Record<string, unknown>): StoredRow {
  const reason = json<Reason | null>(r.reason, null);
  const cls = r.class as RowClass;
  return {
    id: Number(r.id),
    line: Number(r.line),
    seq: (r.seq as string | null) ?? null,
    name: String(r.name),
    employeeNo: String(r.employee_no),
    department: String(r.department),
    memberNo: String(r.member_no),
    joinedAt: asDate(r.joined_at),
    // Problems found when the file was read stay with the row; everything else is decided again.
    problems: cls === 'invalid' && reason && PARSE_PROBLEMS.has(reason.code) ? [reason as RowProblem] : [],
    raw: json<string[]>(r.raw, []),
    class: cls,
    reason,
    employee: r.employee_id
      ? {
          id: String(r.employee_id),
          employeeNo: String(r.matched_no ?? ''),
          name: String(r.matched_name ?? ''),
          departmentId: String(r.department_id ?? ''),
          exitDate: asDate(r.exit_date),
          retired: !!Number(r.retired),
        }
      : null,
  };
}

/**
 * Rows per multi-row insert: the statement's text stays under V8's large-object size (a Chinese ledger
 * row is a few hundred two-byte characters), so it dies young instead of waiting for a full collection.
 */
const INSERT_BATCH = 100;

/** Writes classified rows in multi-row inserts, reporting progress after each batch. */
export async function saveRows(
  ctx: Ctx,
  importId: number,
  rows: ClassifiedRow[],
  onBatch?: (done: number) => Promise<void>,
): Promise<void> {
  let done = 0;
  for (const batch of chunks(rows, INSERT_BATCH)) {
    await ctx.db('union_import_rows').insert(batch.map((r) => rowToDb(importId, r)));
    done += batch.length;
    if (onBatch) await onBatch(done);
  }
}

/**
 * Rewrites what the commit decided anew for the rows whose class changed: one by one when few, in
 * multi-row upserts when many. The rows' own cells (raw) stay as the dry run stored them.
 */
export async function updateRows(trx: Db, importId: number, changed: ClassifiedRow[]): Promise<void> {
  if (changed.length > 200) {
    const merge = OUTCOME_COLUMNS.filter((c) => c !== 'import_id' && c !== 'line');
    for (const batch of chunks(changed, INSERT_BATCH))
      await trx('union_import_rows')
        .insert(batch.map((r) => Object.assign(outcomeColumns(importId, r), { raw: '[]' })))
        .onConflict(['import_id', 'line'])
        .merge(merge);
    return;
  }
  for (const r of changed) {
    const { import_id: _i, line, ...fields } = outcomeColumns(importId, r);
    await trx('union_import_rows').where({ import_id: importId, line }).update(fields);
  }
}

const ROWS_PAGE = 5000;

/**
 * The rows of an import a page at a time, in line order (keyset-paged), optionally of some classes.
 * Without the rows' own cells (`raw: false`), which only the rejects file needs. The commit reads its
 * rows this way, so it never holds more than a page of them.
 */
export async function* rowPages(
  db: Db,
  importId: number,
  opts: { raw?: boolean; classes?: readonly RowClass[]; size?: number } = {},
): AsyncGenerator<StoredRow[]> {
  const columns = opts.raw === false ? ['id', ...OUTCOME_COLUMNS] : ['*'];
  const size = opts.size ?? ROWS_PAGE;
  let after = 0;
  for (;;) {
    const q = db('union_import_rows').where({ import_id: importId }).andWhere('line', '>', after).orderBy('line').limit(size);
    if (opts.classes) q.whereIn('class', [...opts.classes]);
    const page = await q.select(columns);
    if (page.length) yield page.map(rowFromDb);
    if (page.length < size) return;
    after = Number(page[page.length - 1].line);
  }
}

/** One page of rows, optionally of one class, keyset-paged by line. */
export async function listRows(
  ctx: Ctx,
  importId: number,
  opts: { classes?: RowClass[]; after?: number; limit: number },
): Promise<{ items: StoredRow[]; nextAfter: number | null }> {
  if (opts.limit <= 0) return { items: [], nextAfter: null };
  const q = ctx
    .db('union_import_rows')
    .where({ import_id: importId })
    .orderBy('line')
    .limit(opts.limit + 1);
  if (opts.classes) q.whereIn('class', opts.classes);
  if (opts.after) q.andWhere('line', '>', opts.after);
  const rows = (await q.select()).map(rowFromDb);
  const items = rows.slice(0, opts.limit);
  return { items, nextAfter: rows.length > opts.limit ? items[items.length - 1].line : null };
}

/** Every row of the given classes, a page at a time, for the rejects file. */
export async function* eachRow(ctx: Ctx, importId: number, classes: RowClass[]): AsyncGenerator<StoredRow> {
  let after: number | undefined;
  do {
    const page = await listRows(ctx, importId, { classes, after, limit: 1000 });
    for (const r of page.items) yield r;
    after = page.nextAfter ?? undefined;
  } while (after);
}

/**
 * Privacy: an upload's rows carry the ledger's own cells (names, phone numbers) for the rejects file.
 * After `days` they have done their job; the import's record and counts stay, the cells go.
 */
export async function purgeOldImportRows(ctx: Ctx, days = 90): Promise<number> {
  const cutoff = sqlDateTime(new Date(ctx.now().getTime() - days * 86_400_000));
  const old = ctx.db('union_imports').where('created_at', '<', cutoff).select('id');
  return ctx.db('union_import_rows').whereIn('import_id', old).delete();
}
