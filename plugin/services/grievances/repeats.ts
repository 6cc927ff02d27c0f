import type { Ctx, Trx } from '../../context';
import { grievanceSettings } from './settings';
import { WHOLE_UNION, whereDepartmentInScope, type Scope } from '../scope';

/** '2026-Q4' and the quarter's first and last day for a date. Pure. */
export function quarterOf(day: string): { quarter: string; from: string; to: string } {
  const y = Number(day.slice(0, 4));
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  const first = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  const lastMonth = q * 3 + 3;
  const lastDay = new Date(Date.UTC(y, lastMonth, 0)).getUTCDate();
  return { quarter: `${y}-Q${q + 1}`, from: first, to: `${y}-${String(lastMonth).padStart(2, '0')}-${lastDay}` };
}

/**
 * The repeat rule, inside the filing transaction: the same category from the same department as many
 * times in a quarter as the setting says (3) puts the pair on the quarterly rectification list, once;
 * later cases only raise its count.
 */
export async function noteRepeat(ctx: Ctx, trx: Trx, c: { category: string; departmentId: string | null; day: string }): Promise<void> {
  if (!c.departmentId) return;
  const { quarter, from, to } = quarterOf(c.day);
  const row = await trx('union_grievances')
    .where({ category: c.category, department_id: c.departmentId })
    .whereBetween('received_on', [from, to])
    .count({ n: '*' })
    .first();
  const cases = Number(row?.n ?? 0);
  if (cases < grievanceSettings(ctx).repeatThreshold) return;
  await trx('union_grievance_rectifications')
    .insert({ quarter, category: c.category, department_id: c.departmentId, cases, next_checkpoint: to, listed_at: ctx.nowSql() })
    .onConflict(['quarter', 'category', 'department_id'])
    .merge({ cases });
}

export interface Rectification {
  id: number;
  quarter: string;
  category: string;
  departmentId: string;
  cases: number;
  ownerId: string | null;
  nextCheckpoint: string | null;
  /** Share of evaluated cases of the pair this quarter rated 满意 or 基本满意 (null: none evaluated yet). */
  satisfaction: number | null;
}

/** The quarterly rectification list with each pair's satisfaction so far, for the departments in the caller's scope. */
export async function rectificationList(ctx: Ctx, scope: Scope = WHOLE_UNION, day = ctx.today()): Promise<Rectification[]> {
  const { quarter, from, to } = quarterOf(day);
  const rows = await whereDepartmentInScope(
    ctx.db('union_grievance_rectifications').where({ quarter }).orderBy('cases', 'desc').orderBy('id'),
    scope,
    'department_id',
  );
  if (!rows.length) return [];
  const sat: Array<{ category: string; department_id: string; good: number | string; evaluated: number | string }> = await ctx
    .db('union_grievances')
    .whereBetween('received_on', [from, to])
    .whereNotNull('evaluation')
    .groupBy('category', 'department_id')
    .select('category', 'department_id')
    .select(ctx.db.raw("sum(case when evaluation in ('satisfied', 'basically_satisfied') then 1 else 0 end) as good"))
    .count({ evaluated: '*' });
  return rows.map(
    (r: {
      id: number;
      quarter: string;
      category: string;
      department_id: string;
      cases: number;
      owner_id: string | null;
      next_checkpoint: unknown;
    }) => {
      const s = sat.find((x) => x.category === r.category && x.department_id === r.department_id);
      return {
        id: r.id,
        quarter: r.quarter,
        category: r.category,
        departmentId: r.department_id,
        cases: r.cases,
        ownerId: r.owner_id,
        nextCheckpoint: r.next_checkpoint ? String(r.next_checkpoint).slice(0, 10) : null,
        satisfaction: s && Number(s.evaluated) ? Number(s.good) / Number(s.evaluated) : null,
      };
    },
  );
}
