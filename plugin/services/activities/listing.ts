import type { Ctx } from '../../context';
import { NotFound } from '../../errors';
import { audienceIncludes, audienceOf, groupsNamed, personOf } from './audience';
import { loadActivity } from './activities';
import { presentActivity, presentRegistration, type ActivityRow, type OptionRow, type RegistrationRow } from './presenter';

/** What an employee sees: published activities not yet over that are open to them, with their own registration. */
export async function openActivities(ctx: Ctx, employeeId: string) {
  const rows = (await ctx
    .db('union_activities')
    .where({ status: 'published' })
    .andWhere('end_at', '>', ctx.nowSql())
    .orderBy('start_at')
    .limit(200)) as ActivityRow[];
  const person = await personOf(ctx, employeeId, groupsNamed(rows));
  const mine = rows.length
    ? ((await ctx
        .db('union_activity_registrations')
        .where({ employee_id: employeeId })
        .whereIn(
          'activity_id',
          rows.map((r) => r.id),
        )) as RegistrationRow[])
    : [];
  const byActivity = new Map(mine.map((r) => [r.activity_id, r]));
  return rows
    .filter((a) => audienceIncludes(audienceOf(a), person) || byActivity.has(a.id))
    .map((a) => {
      const r = byActivity.get(a.id);
      return { ...presentActivity(a), mine: r ? presentRegistration(r) : null };
    });
}

/** One activity as an employee sees it; drafts stay hidden (404) from everyone but staff. */
export async function activityForEmployee(ctx: Ctx, id: number, employeeId: string) {
  const { activity, options } = await loadActivity(ctx.db, id);
  if (activity.status === 'draft') throw new NotFound('No such activity');
  const person = await personOf(ctx, employeeId, groupsNamed([activity]));
  const r = (await ctx.db('union_activity_registrations').where({ activity_id: id, employee_id: employeeId }).first()) as
    RegistrationRow | undefined;
  if (!r && !audienceIncludes(audienceOf(activity), person)) throw new NotFound('No such activity');
  const position =
    r?.status === 'waitlisted'
      ? Number(
          (
            await ctx
              .db('union_activity_registrations')
              .where({ activity_id: id, status: 'waitlisted' })
              .andWhere('waitlist_seq', '<=', r.waitlist_seq!)
              .count({ n: '*' })
              .first()
          )?.n ?? 0,
        )
      : null;
  return { activity: presentActivity(activity, options as OptionRow[]), mine: r ? presentRegistration(r, position) : null };
}

/** How many are waiting for a place on one activity (the staff's edit page). */
export async function waitlistedCount(ctx: Ctx, id: number): Promise<number> {
  const row = await ctx.db('union_activity_registrations').where({ activity_id: id, status: 'waitlisted' }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Staff's list: every activity, newest start first, with its counters. */
export async function allActivities(ctx: Ctx, opts: { status?: string; limit?: number } = {}) {
  const q = ctx
    .db('union_activities')
    .orderBy('start_at', 'desc')
    .limit(opts.limit ?? 100);
  if (opts.status) q.where({ status: opts.status });
  const rows = (await q) as ActivityRow[];
  const waiting = rows.length
    ? await ctx
        .db('union_activity_registrations')
        .whereIn(
          'activity_id',
          rows.map((r) => r.id),
        )
        .andWhere({ status: 'waitlisted' })
        .groupBy('activity_id')
        .select('activity_id')
        .count({ n: '*' })
    : [];
  const w = new Map((waiting as Array<{ activity_id: number; n: number | string }>).map((r) => [Number(r.activity_id), Number(r.n)]));
  return rows.map((a) => ({ ...presentActivity(a), waitlisted: w.get(a.id) ?? 0 }));
}
