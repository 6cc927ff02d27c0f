/**
 * Running totals for the statistics (union_grievance_tallies): each case contributes to the row of its
 * month of receipt, category and department; every writer applies the difference its change made, in
 * its own transaction, so the totals are exactly the sum over the cases at every commit.
 */
import type { Ctx, Trx } from '../../context';
import type { Db } from '../../lib/db';
import { asDate } from '../../lib/time';
import type { GrievanceRow } from './flow';

export const TALLY_FIELDS = ['n', 'resolved', 'on_time', 'timed', 'good', 'evaluated', 'days', 'days_n'] as const;
export type Tally = Record<(typeof TALLY_FIELDS)[number], number>;

type Counted = Pick<GrievanceRow, 'status' | 'on_time' | 'evaluation' | 'handling_days'>;

/** What one case adds to its tally row. Pure. */
export function contribution(row: Counted | null): Tally {
  if (!row) return { n: 0, resolved: 0, on_time: 0, timed: 0, good: 0, evaluated: 0, days: 0, days_n: 0 };
  const timed = row.on_time !== null && row.on_time !== undefined;
  return {
    n: 1,
    resolved: row.status === 'resolved' || row.status === 'closed' ? 1 : 0,
    on_time: timed && Boolean(row.on_time) ? 1 : 0,
    timed: timed ? 1 : 0,
    good: row.evaluation === 'satisfied' || row.evaluation === 'basically_satisfied' ? 1 : 0,
    evaluated: row.evaluation ? 1 : 0,
    days: row.handling_days ?? 0,
    days_n: row.handling_days === null || row.handling_days === undefined ? 0 : 1,
  };
}

/** Applies the difference between a case before and after a change (before = null: a new case). */
export async function applyTally(trx: Trx, before: (Counted & Keyed) | null, after: Counted & Keyed): Promise<void> {
  const a = contribution(after);
  const b = contribution(before);
  const delta = Object.fromEntries(TALLY_FIELDS.map((f) => [f, a[f] - b[f]])) as Tally;
  if (TALLY_FIELDS.every((f) => delta[f] === 0)) return;
  const key = { month: asDate(after.received_on)!.slice(0, 7), category: after.category, department_id: after.department_id ?? '' };
  await trx('union_grievance_tallies')
    .insert({ ...key, ...delta })
    .onConflict(['month', 'category', 'department_id'])
    .merge(Object.fromEntries(TALLY_FIELDS.map((f) => [f, trx.raw(`?? + ?`, [f, delta[f]])])));
}

type Keyed = Pick<GrievanceRow, 'received_on' | 'category' | 'department_id'>;

/** Recomputes every tally from the cases (after a bulk load, or to check the running totals). */
export async function rebuildTallies(ctx: Ctx, db: Db = ctx.db): Promise<void> {
  await db('union_grievance_tallies').delete();
  await db.raw(
    `insert into union_grievance_tallies (month, category, department_id, n, resolved, on_time, timed, good, evaluated, days, days_n)
     select date_format(received_on, '%Y-%m'), category, coalesce(department_id, ''), count(*),
       sum(case when status in ('resolved', 'closed') then 1 else 0 end),
       sum(case when on_time = 1 then 1 else 0 end),
       sum(case when on_time is not null then 1 else 0 end),
       sum(case when evaluation in ('satisfied', 'basically_satisfied') then 1 else 0 end),
       sum(case when evaluation is not null then 1 else 0 end),
       coalesce(sum(handling_days), 0), count(handling_days)
     from union_grievances group by 1, 2, 3`,
  );
}
