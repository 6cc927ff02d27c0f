/**
 * Read models the desk asks of the activities area: activities about to start that still have people
 * waiting, and satisfaction month by month on the same population as 参与分析 (participation.ts): scores
 * that active members gave on attended registrations of published or finished activities, by the month
 * the activity started (module timezone), so a year's months add up to that page's average score.
 */
import type { Ctx } from '../../context';
import { sqlDateTime } from '../../lib/time';
import { zonedToIso } from './form';

/** Published activities starting in [from, to) that still have a waitlist. */
export async function startingWithWaitlist(ctx: Ctx, from: Date, to: Date): Promise<number> {
  const row = await ctx
    .db('union_activities as a')
    .where('a.status', 'published')
    .where('a.start_at', '>=', sqlDateTime(from))
    .where('a.start_at', '<', sqlDateTime(to))
    .whereExists((q) =>
      q.select(ctx.db.raw('1')).from('union_activity_registrations as r').whereRaw('r.activity_id = a.id').where('r.status', 'waitlisted'),
    )
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

export interface MonthScores {
  month: string;
  scoreSum: number;
  scored: number;
}

/** Score sums and counts per month for the months given (YYYY-MM, ascending), optionally for some orgs only. */
export async function scoresByMonth(ctx: Ctx, months: string[], orgIds: number[] | null): Promise<MonthScores[]> {
  const tz = ctx.settings.timezone;
  const first = months[0];
  const [ly, lm] = months[months.length - 1].split('-').map(Number);
  const after = lm === 12 ? `${ly + 1}-01` : `${ly}-${String(lm + 1).padStart(2, '0')}`;
  const from = sqlDateTime(new Date(zonedToIso(`${first}-01T00:00`, tz, 'from')));
  const to = sqlDateTime(new Date(zonedToIso(`${after}-01T00:00`, tz, 'to')));
  const q = ctx
    .db('union_activity_registrations as r')
    .join('union_activities as a', 'a.id', 'r.activity_id')
    .join('union_memberships as m', 'm.employee_id', 'r.employee_id')
    .where('m.status', 'active')
    .whereIn('a.status', ['published', 'finished'])
    .where('a.start_at', '>=', from)
    .where('a.start_at', '<', to)
    .where('r.status', 'registered')
    .whereNotNull('r.checked_in_at')
    .whereNotNull('r.score')
    .groupBy('a.id', 'a.start_at')
    .select('a.start_at', ctx.db.raw('sum(r.score) as s'), ctx.db.raw('count(*) as n'));
  if (orgIds) q.whereIn('m.org_id', orgIds.length ? orgIds : [-1]);
  const rows = (await q) as Array<{ start_at: string | Date; s: number | string; n: number | string }>;
  const out = new Map(months.map((m) => [m, { month: m, scoreSum: 0, scored: 0 }]));
  for (const r of rows) {
    // Grouped by activity in SQL; the month is the activity's start in the module's timezone.
    const start = r.start_at instanceof Date ? r.start_at : new Date(`${String(r.start_at).replace(' ', 'T')}Z`);
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' }).format(start).slice(0, 7);
    const acc = out.get(month);
    if (!acc) continue;
    acc.scoreSum += Number(r.s);
    acc.scored += Number(r.n);
  }
  return [...out.values()];
}

/** The average as 参与分析 rounds it: two decimals, null without scores. */
export const averageScore = (rows: MonthScores[]): number | null => {
  const n = rows.reduce((s, r) => s + r.scored, 0);
  return n ? Math.round((rows.reduce((s, r) => s + r.scoreSum, 0) / n) * 100) / 100 : null;
};

/** The period's largest activities by attendance, with their average score (for the management report). */
export async function largestActivities(ctx: Ctx, fromDate: string, toDate: string, limit = 5) {
  const tz = ctx.settings.timezone;
  const [y, m, d] = toDate.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  const rows = (await ctx
    .db('union_activities as a')
    .join('union_activity_registrations as r', 'r.activity_id', 'a.id')
    .whereIn('a.status', ['published', 'finished'])
    .where('a.start_at', '>=', sqlDateTime(new Date(zonedToIso(`${fromDate}T00:00`, tz, 'from'))))
    .where('a.start_at', '<', sqlDateTime(new Date(zonedToIso(`${next}T00:00`, tz, 'to'))))
    .where('r.status', 'registered')
    .whereNotNull('r.checked_in_at')
    .groupBy('a.id', 'a.title')
    .select('a.id', 'a.title', ctx.db.raw('count(*) as attended'), ctx.db.raw('avg(r.score) as score'))
    .orderBy('attended', 'desc')
    .orderBy('a.id')
    .limit(limit)) as Array<{ id: number; title: string; attended: number | string; score: number | string | null }>;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    attended: Number(r.attended),
    averageScore: r.score === null ? null : Math.round(Number(r.score) * 100) / 100,
  }));
}
