/**
 * Coverage over time, defined as today's (active members ÷ employed): for each of the last months,
 * memberships joined on or before the month's end and not ended (expired, retained, withdrawn) by
 * then, over people hired on or before it and not yet gone; two counting queries per month.
 */
import type { Ctx } from '../context';
import type { TrendPoint } from './charts';
import { whereDepartmentInScope, WHOLE_UNION, type Scope } from './scope';

function monthEnds(today: string, months: number): string[] {
  const [y, m] = today.split('-').map(Number);
  const out: string[] = [];
  for (let i = months - 1; i >= 0; i--) {
    // Day 0 of the next month is the last day of this one; the current month counts up to today.
    const end = new Date(Date.UTC(y, m - i, 0)).toISOString().slice(0, 10);
    out.push(end > today ? today : end);
  }
  return out;
}

export async function coverageTrend(ctx: Ctx, scope: Scope = WHOLE_UNION, months = 12): Promise<TrendPoint[]> {
  const points: TrendPoint[] = [];
  for (const end of monthEnds(ctx.today(), months)) {
    const [members, employed] = await Promise.all([
      whereDepartmentInScope(ctx.db('union_memberships'), scope, 'department_id')
        .whereNot('status', 'pending')
        .where('joined_at', '<=', end)
        .andWhere((w) => w.whereNull('expired_at').orWhere('expired_at', '>', end))
        .count({ n: '*' })
        .first(),
      whereDepartmentInScope(ctx.db('union_employees'), scope, 'department_id')
        .where('hire_date', '<=', end)
        .andWhere((w) => w.whereNull('exit_date').orWhere('exit_date', '>', end))
        .count({ n: '*' })
        .first(),
    ]);
    const m = Number(members?.n ?? 0);
    const e = Number(employed?.n ?? 0);
    points.push({ month: end.slice(0, 7), members: m, employed: e, rate: e ? Math.min(1, m / e) : null });
  }
  return points;
}
