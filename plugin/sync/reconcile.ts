import type { Knex } from 'knex';
import type { Actor, Ctx } from '../context';
import { chunks, inTransaction } from '../lib/db';
import { sqlFromIso } from '../lib/time';
import { factColumns, factFromEmployee, latestTrustedAt, sameFacts, type FactRow } from '../services/employment';
import { decide } from '../services/decide';
import { deliver, normaliseFact, settle } from '../services/memberships';
import { READ_AHEAD, readAhead, type PageRead } from './reconcile-read';
import { orgsForDepartments } from '../services/orgs';
import { installedOn } from '../services/install-info';
import { Conflict } from '../errors';
import type { LeaseHolder } from '../jobs/lease';

export interface ReconcileCounts {
  scanned: number;
  factsCreated: number;
  factsUpdated: number;
  /** Facts an event had already made newer than the host's snapshot: left alone. */
  keptNewer: number;
  /** Facts that changed between our read and our write (an event or a person was faster): left alone. */
  keptConcurrent: number;
  joined: number;
  invited: number;
  expired: number;
  retained: number;
  transferred: number;
  other: number;
}

export interface ReconcileReport {
  runId: number;
  status: 'done' | 'failed';
  counts: ReconcileCounts;
  ms: number;
}

function zero(): ReconcileCounts {
  return {
    scanned: 0,
    factsCreated: 0,
    factsUpdated: 0,
    keptNewer: 0,
    keptConcurrent: 0,
    joined: 0,
    invited: 0,
    expired: 0,
    retained: 0,
    transferred: 0,
    other: 0,
  };
}

/**
 * 同步人事数据: pages through every host employee, diffs each page with our facts and memberships in
 * bulk, and applies the same transitions events would have. Writes are guarded by the version read,
 * so a run never reverts what an event or a person changed while it ran.
 */
export async function reconcile(
  ctx: Ctx,
  opts: {
    trigger: 'schedule' | 'button' | 'install' | 'enable' | 'bench' | 'test';
    actor: Actor;
    pageSize?: number;
    /** Stops the run between pages; it is then recorded as failed with the reason. */
    signal?: AbortSignal;
  },
): Promise<ReconcileReport> {
  const started = Date.now();
  const [runIdRaw] = await ctx
    .db('union_reconcile_runs')
    .insert({ trigger: opts.trigger, actor: opts.actor.id, status: 'running', started_at: ctx.nowSql(), scanned: 0 });
  const runId = Number(runIdRaw);
  const counts = zero();
  const installed = await installedOn(ctx);
  const today = ctx.today();
  const pageSize = opts.pageSize ?? 2000;
  try {
    // Read once per run: settle() reads the mapping again inside each write, so this only picks who to settle.
    const orgOf = await orgsForDepartments(ctx.db);
    const pages = readAhead(ctx, pageSize, READ_AHEAD);
    let reported = Date.now();
    const pending = emptyPending();
    for (let page = await pages(); page; page = await pages()) {
      opts.signal?.throwIfAborted();
      if (page.employees.length) diffPage(ctx, page, installed, today, counts, orgOf, pending);
      // Changes are written in a few large transactions rather than one per page: at 1% changed, a page
      // of 2,000 holds some 20, and each transaction costs its round trips and its commit whatever its size.
      if (pending.size >= FLUSH_AT || (!page.nextCursor && pending.size)) await flush(ctx, runId, pending, counts);
      // Progress for the sync page, about once a second rather than once a page (each is a commit).
      if (Date.now() - reported >= 1000) {
        reported = Date.now();
        await ctx.db('union_reconcile_runs').where({ id: runId }).update({ scanned: counts.scanned });
      }
    }
    await ctx
      .db('union_reconcile_runs')
      .where({ id: runId })
      .update({ status: 'done', finished_at: ctx.nowSql(), scanned: counts.scanned, counts: JSON.stringify(counts) });
    return { runId, status: 'done', counts, ms: Date.now() - started };
  } catch (err) {
    await ctx
      .db('union_reconcile_runs')
      .where({ id: runId })
      .update({
        status: 'failed',
        finished_at: ctx.nowSql(),
        counts: JSON.stringify(counts),
        error: String((err as Error).message).slice(0, 2000),
      });
    throw err;
  }
}

/** What a run has found to write and not yet written. */
interface Pending {
  creates: FactRow[];
  updates: Array<{ next: FactRow; version: number }>;
  toSettle: Set<string>;
  /** How many people the above concern (a person may be in updates and toSettle both). */
  size: number;
}

/** Enough people per transaction that the per-transaction costs vanish, few enough to keep its locks brief. */
const FLUSH_AT = 1000;

function emptyPending(): Pending {
  return { creates: [], updates: [], toSettle: new Set(), size: 0 };
}

/** Compares one page of host records with our facts and memberships; collects what must be written. */
function diffPage(
  ctx: Ctx,
  { employees, prev, members }: PageRead,
  installed: string,
  today: string,
  counts: ReconcileCounts,
  orgOf: (dept: string) => number | null,
  pending: Pending,
): void {
  counts.scanned += employees.length;
  // A fact dated beyond now (a bad clock, a forged event from before such events were refused) is not
  // newer than anything: the host's record replaces it instead of being kept out forever.
  const trustUntil = latestTrustedAt(ctx.now(), ctx.settings.webhookToleranceSec);

  for (const emp of employees) {
    const old = prev.get(emp.id);
    if (old && old.fact_at > sqlFromIso(emp.updatedAt) && old.fact_at <= trustUntil) {
      if (!sameFacts(old, factFromEmployee(emp, old, ctx.settings.retirementReasons, installed))) counts.keptNewer++;
      continue;
    }
    const next = factFromEmployee(emp, old, ctx.settings.retirementReasons, installed, trustUntil);
    let touched = false;
    if (!old) {
      pending.creates.push(next);
      touched = true;
    } else if (!sameFacts(old, next) || old.hire_applied !== next.hire_applied || old.fact_at > trustUntil || old.dept_at > trustUntil) {
      pending.updates.push({ next, version: old.version });
      touched = true;
    }
    const d = decide({ fact: next, membership: members.get(emp.id), today, onHire: ctx.settings.onHire, orgOf });
    if (d.transitions.length || d.markHireApplied) {
      pending.toSettle.add(emp.id);
      touched = true;
    }
    if (touched) pending.size++;
  }
}

/** Writes what was collected in one transaction, then hands the effects to the after-commit subscribers. */
async function flush(ctx: Ctx, runId: number, pending: Pending, counts: ReconcileCounts): Promise<void> {
  const { creates, updates, toSettle } = pending;
  Object.assign(pending, emptyPending());
  // Counted from the committed attempt only: a deadlock retry runs the whole unit again.
  const result = await inTransaction(ctx.db, async (trx) => {
    for (const batch of chunks(creates, 500)) {
      await trx('union_employees')
        .insert(batch.map((f) => ({ employee_id: f.employee_id, ...factColumns(f), version: 1 })))
        .onConflict('employee_id')
        .ignore();
    }
    const settleIds = new Set(toSettle);
    const lost = await updateFactsGuarded(trx, updates);
    for (const id of lost) settleIds.delete(id);
    const updated = updates.length - lost.length;
    const concurrent = lost.length;
    const effects = await settle(ctx, trx, { id: `job:reconcile:${runId}`, kind: 'job' }, 'reconcile', [...settleIds]);
    const changes = effects.changed.map((c) => ({ run_id: runId, employee_id: c.employeeId, change: c.change }));
    for (const batch of chunks(changes, 500)) await trx('union_reconcile_changes').insert(batch);
    return { updated, concurrent, effects };
  });
  counts.factsCreated += creates.length;
  counts.factsUpdated += result.updated;
  counts.keptConcurrent += result.concurrent;
  for (const c of result.effects.changed) counts[COUNT_OF[c.change] ?? 'other']++;
  await deliver(ctx, result.effects);
}

const FACT_COLUMNS = ['department_id', 'status', 'hire_date', 'exit_date', 'retired', 'hire_applied', 'fact_at', 'dept_at'] as const;

/**
 * Writes many fact rows in one UPDATE per 200 (CASE per column), each guarded by the version read.
 * Returns the ids whose row had moved on meanwhile (an event or a person was faster): left as they are.
 */
export async function updateFactsGuarded(trx: Knex.Transaction, updates: Array<{ next: FactRow; version: number }>): Promise<string[]> {
  const lost: string[] = [];
  for (const batch of chunks(updates, 200)) {
    const values: Record<string, Knex.Raw> = {};
    for (const col of FACT_COLUMNS) {
      const cases = batch.map(() => 'when ? then ?').join(' ');
      values[col] = trx.raw(
        `case employee_id ${cases} end`,
        batch.flatMap((u) => [u.next.employee_id, factColumns(u.next)[col]]),
      );
    }
    const q = trx('union_employees');
    // A single pair as an equality: MariaDB scans the whole key for `(a, b) in ((?, ?))`, not for several pairs.
    if (batch.length === 1) q.where({ employee_id: batch[0].next.employee_id, version: batch[0].version });
    else
      q.whereIn(
        ['employee_id', 'version'],
        batch.map((u) => [u.next.employee_id, u.version]),
      );
    const n = await q.update({ ...values, version: trx.raw('version + 1') });
    if (n === batch.length) continue;
    // Some rows were not at the version read. Ours now hold exactly what we wrote at version read + 1;
    // a row that holds anything else was written by someone else, and keeps what they wrote.
    const now = await trx('union_employees')
      .whereIn(
        'employee_id',
        batch.map((u) => u.next.employee_id),
      )
      .select();
    const byId = new Map(
      now.map((r: Record<string, unknown>) => [r.employee_id as string, { ...normaliseFact(r), fact_at: String(r.fact_at) }]),
    );
    for (const u of batch) {
      const r = byId.get(u.next.employee_id);
      const ours =
        r &&
        r.version === u.version + 1 &&
        sameFacts(r as FactRow, u.next) &&
        r.hire_applied === u.next.hire_applied &&
        r.fact_at === u.next.fact_at;
      if (!ours) lost.push(u.next.employee_id);
    }
  }
  return lost;
}

const COUNT_OF: Partial<Record<string, keyof ReconcileCounts>> = {
  join: 'joined',
  invite: 'invited',
  expire: 'expired',
  retain: 'retained',
  transfer: 'transferred',
};

/** A run report as stored, with its counts read back from JSON. */
function runView(row: Record<string, unknown>) {
  return { ...row, counts: row.counts ? (JSON.parse(String(row.counts)) as ReconcileCounts) : null };
}

export async function lastRuns(ctx: Ctx, limit = 10) {
  return (await ctx.db('union_reconcile_runs').orderBy('id', 'desc').limit(limit).select()).map(runView);
}

export async function runChanges(ctx: Ctx, runId: number, limit = 500) {
  return ctx.db('union_reconcile_changes').where({ run_id: runId }).orderBy('id').limit(limit).select('employee_id', 'change', 'detail');
}

/**
 * The 409 for a second sync while one runs: it names the running one (its run id when it has written
 * its report row, who started it and since when), so the person who pressed the button knows.
 */
export async function syncBusy(ctx: Ctx, heldBy: LeaseHolder | null): Promise<Conflict> {
  const running = await ctx.db('union_reconcile_runs').where({ status: 'running' }).orderBy('id', 'desc').first('id', 'actor', 'trigger');
  const parts = [
    running ? `run ${running.id}` : null,
    heldBy?.startedBy ? `started by ${heldBy.startedBy}` : null,
    heldBy ? `on ${heldBy.holder} since ${heldBy.since} UTC` : null,
  ].filter(Boolean);
  const who = parts.join(', ') || 'another run';
  return new Conflict(`A sync is already running (${who})`, [{ path: 'sync', message: `is running: ${who}` }]).because('sync_running');
}

export async function getRun(ctx: Ctx, runId: number) {
  const row = await ctx.db('union_reconcile_runs').where({ id: runId }).first();
  if (!row) return null;
  return { ...runView(row), changes: await runChanges(ctx, runId) };
}
