import type { Knex } from 'knex';
import type { Ctx } from '../../context';
import { addMonths } from '../../lib/retirement';
import { asDate } from '../../lib/time';
import { hardshipEmployeeIds } from './hardship-seam';
import { careSettings, GROUP_CODES, type GroupCode } from './settings';

/** The dates that make new_hire and near_retirement today: computed per query, so the groups never go stale. */
export function groupCutoffs(today: string, newHireMonths: number, nearRetirementMonths: number) {
  return {
    /** Hired after this date (and not in the future). */
    hiredAfter: addMonths(today, -newHireMonths),
    /** Retirement month on or before this first-of-month (those past it and still employed are included). */
    retireBy: `${addMonths(today, nearRetirementMonths).slice(0, 7)}-01`,
  };
}

/** Narrows employed profiles (alias p) to one group. */
export function inGroup(ctx: Ctx, q: Knex.QueryBuilder, code: GroupCode): Knex.QueryBuilder {
  const s = careSettings(ctx);
  const today = ctx.today();
  const c = groupCutoffs(today, s.newHireMonths, s.nearRetirementMonths);
  q.where('p.employed', true);
  switch (code) {
    case 'new_hire':
      return q.where('p.hire_date', '>', c.hiredAfter).where('p.hire_date', '<=', today);
    case 'shift_worker':
      return q.where('p.shift_worker', true);
    case 'female':
      return q.where('p.female', true);
    case 'expatriate':
      return q.where('p.expatriate', true);
    case 'hardship':
      return q.whereIn('p.employee_id', hardshipEmployeeIds(ctx.db));
    case 'near_retirement':
      return q.where('p.retire_on', '<=', c.retireBy);
  }
}

/** Each group's head count: one scan of the employed profiles for five groups, one subquery for hardship. */
export async function groupCounts(ctx: Ctx): Promise<Array<{ code: GroupCode; count: number }>> {
  const s = careSettings(ctx);
  const today = ctx.today();
  const c = groupCutoffs(today, s.newHireMonths, s.nearRetirementMonths);
  const sum = (cond: string) => ctx.db.raw(`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`);
  const [row, hardship] = await Promise.all([
    ctx
      .db('union_care_profiles as p')
      .where('p.employed', true)
      .first({
        new_hire: ctx.db.raw('coalesce(sum(case when p.hire_date > ? and p.hire_date <= ? then 1 else 0 end), 0)', [c.hiredAfter, today]),
        shift_worker: sum('p.shift_worker = 1'),
        female: sum('p.female = 1'),
        expatriate: sum('p.expatriate = 1'),
        near_retirement: ctx.db.raw('coalesce(sum(case when p.retire_on <= ? then 1 else 0 end), 0)', [c.retireBy]),
      }),
    inGroup(ctx, ctx.db('union_care_profiles as p'), 'hardship').count({ n: '*' }).first(),
  ]);
  const counts: Record<string, number> = { ...row, hardship: (hardship as { n?: unknown } | undefined)?.n };
  return GROUP_CODES.map((code) => ({ code, count: Number(counts[code] ?? 0) }));
}

export interface GroupMember {
  employeeId: string;
  hireDate: string | null;
  retireMonth: string | null;
}

/** One page of a group, in employee-id order after `after` (keyset: every page costs the same). */
export async function groupMembers(
  ctx: Ctx,
  code: GroupCode,
  opts: { limit: number; after?: string | null },
): Promise<{ items: GroupMember[]; nextAfter: string | null }> {
  const q = inGroup(ctx, ctx.db('union_care_profiles as p'), code)
    .orderBy('p.employee_id')
    .limit(opts.limit + 1)
    .select('p.employee_id', 'p.hire_date', 'p.retire_on');
  if (opts.after) q.where('p.employee_id', '>', opts.after);
  const rows: Array<{ employee_id: string; hire_date: unknown; retire_on: unknown }> = await q;
  const more = rows.length > opts.limit;
  const items = (more ? rows.slice(0, opts.limit) : rows).map((r) => ({
    employeeId: r.employee_id,
    hireDate: asDate(r.hire_date),
    retireMonth: asDate(r.retire_on)?.slice(0, 7) ?? null,
  }));
  return { items, nextAfter: more ? items[items.length - 1].employeeId : null };
}
