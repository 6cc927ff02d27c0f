import type { Actor, Ctx } from '../../context';
import type { Employee } from '../../host';
import { chunks, inTransaction } from '../../lib/db';
import { categoryOf, retirementDate } from '../../lib/retirement';
import { writeAudit, writeAuditMany } from '../audit';
import { syncHrOccurrences } from './occurrences';
import { careSettings } from './settings';

export interface ProfileRow {
  employee_id: string;
  employed: boolean;
  female: boolean;
  shift_worker: boolean;
  expatriate: boolean;
  hire_date: string | null;
  retire_on: string | null;
  refreshed_at: string;
}

const PAGE = 1000;

/**
 * What the groups need of one employee, and nothing more: flags, the hire date and the month of the
 * statutory retirement date (the first of that month, so the birth day cannot be read back from it).
 */
export function profileOf(e: Employee, fallback: 'worker' | 'cadre', at: string): ProfileRow {
  const category = categoryOf(e.gender, (e as Employee & { retirementCategory?: unknown }).retirementCategory, fallback);
  const birth = /^\d{4}-\d{2}-\d{2}$/.test(e.birthDate ?? '') ? e.birthDate : null;
  return {
    employee_id: e.id,
    employed: e.status === 'employed',
    female: e.gender === 'F',
    shift_worker: Boolean(e.shiftWorker),
    expatriate: Boolean(e.expatriate),
    hire_date: e.hireDate || null,
    retire_on: birth ? `${retirementDate(category, birth).slice(0, 7)}-01` : null,
    refreshed_at: at,
  };
}

/** Rows per statement: SQLite's multi-row insert is a compound SELECT, limited to 500 terms. */
const UPSERT_ROWS = 400;

async function upsert(ctx: Ctx, rows: ProfileRow[], db = ctx.db): Promise<void> {
  for (const part of chunks(rows, UPSERT_ROWS)) {
    await db('union_care_profiles')
      .insert(part)
      .onConflict('employee_id')
      .merge(['employed', 'female', 'shift_worker', 'expatriate', 'hire_date', 'retire_on', 'refreshed_at']);
  }
}

/**
 * Reads every employee from the host, a page at a time, and rewrites their profile; anyone the host no
 * longer lists is marked not employed. Pages are written as they come (a 100k sweep is not held in one
 * transaction); the run ends with one audit row giving the counts.
 */
export async function refreshProfiles(ctx: Ctx, actor: Actor): Promise<{ seen: number; dropped: number }> {
  const fallback = careSettings(ctx).femaleRetirementCategory;
  const at = ctx.nowSql();
  let cursor: string | null = null;
  let seen = 0;
  do {
    const page = await ctx.host.employees.list({ cursor, limit: PAGE });
    await upsert(
      ctx,
      page.items.map((e) => profileOf(e, fallback, at)),
    );
    await syncHrOccurrences(ctx, page.items);
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return inTransaction(ctx.db, async (trx) => {
    const dropped = await trx('union_care_profiles').where('refreshed_at', '<', at).where({ employed: true }).update({ employed: false });
    await writeAudit(ctx, trx, actor, {
      action: 'care.profiles.refreshed',
      entity: 'care_profiles',
      entityId: 'all',
      after: { seen, dropped },
    });
    return { seen, dropped };
  });
}

/** One employee's profile (and what HR says happened to them) again, as a host event says their record changed. */
export async function refreshProfile(ctx: Ctx, actor: Actor, employeeId: string): Promise<void> {
  await refreshProfilesOf(ctx, [{ employeeId, actor }]);
}

/**
 * The profiles of the people these host events are about, from the host's records as they stand now, in
 * one transaction (a webhook batch); each event leaves its audit row. Someone the host no longer lists is
 * marked not employed.
 */
export async function refreshProfilesOf(ctx: Ctx, changes: Array<{ employeeId: string; actor: Actor }>): Promise<void> {
  if (!changes.length) return;
  const ids = [...new Set(changes.map((c) => c.employeeId))].sort();
  const found = (await ctx.host.employees.getMany(ids)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const listed = new Set(found.map((e) => e.id));
  const gone = ids.filter((id) => !listed.has(id));
  const fallback = careSettings(ctx).femaleRetirementCategory;
  const at = ctx.nowSql();
  await inTransaction(ctx.db, async (trx) => {
    await upsert(
      ctx,
      found.map((e) => profileOf(e, fallback, at)),
      trx,
    );
    await syncHrOccurrences(ctx, found, trx);
    if (gone.length) await trx('union_care_profiles').whereIn('employee_id', gone).update({ employed: false });
    await writeAuditMany(
      ctx,
      trx,
      changes[0].actor,
      changes.map((c) => ({ action: 'care.profile.refreshed', entity: 'care_profile', entityId: c.employeeId, actor: c.actor })),
    );
  });
}
