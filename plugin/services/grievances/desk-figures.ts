/**
 * Read models the desk asks of the grievances area: the cases a person should act on soon (their own, or
 * every case for the chair), the joint-sheet steps waiting on a department, and the statistics restricted
 * to a branch's departments (the chair's statistics page, stats.ts, is union-wide). Rates are computed
 * exactly as grievanceStats computes them, from the same running totals.
 */
import type { Knex } from 'knex';
import type { Ctx } from '../../context';
import { whereDepartmentInScope, type Scope } from '../scope';
import { grievanceStats, type StatsFilter } from './stats';

export interface CaseFilter {
  /** Only cases assigned to this person (null: every case, for the chair). */
  assigneeId: string | null;
  scope: Scope;
}

function openCases(ctx: Ctx, f: CaseFilter): Knex.QueryBuilder {
  // A paused clock (waiting on the employee) is not late, as the overdue job sees it.
  const q = ctx.db('union_grievances').whereIn('status', ['received', 'in_progress']).whereNull('clock_paused_at');
  // A case assigned to someone is theirs to act on wherever its filer works; the chair's view is scoped.
  if (f.assigneeId) return q.where('assignee_id', f.assigneeId);
  return whereDepartmentInScope(q, f.scope, 'department_id');
}

/** Cases past their deadline, and cases due from today up to `dueBy` (a date) that are not yet late. */
export async function casesToAct(ctx: Ctx, f: CaseFilter, dueBy: string): Promise<{ overdue: number; dueSoon: number }> {
  const now = ctx.nowSql();
  const [late, soon] = await Promise.all([
    openCases(ctx, f).where('due_at', '<', now).count({ n: '*' }).first(),
    openCases(ctx, f).where('due_at', '>=', now).where('due_date', '<=', dueBy).count({ n: '*' }).first(),
  ]);
  return { overdue: Number(late?.n ?? 0), dueSoon: Number(soon?.n ?? 0) };
}

/**
 * Joint-sheet steps whose turn has come and that no department has answered: for one person, the steps
 * they hold and the steps of cases assigned to them; for the chair (null), every one in the scope (by the
 * case's department).
 */
export async function jointStepsWaiting(ctx: Ctx, f: { personId: string | null; scope: Scope }): Promise<number> {
  const q = ctx
    .db('union_grievance_joint_steps as s')
    .join('union_grievances as g', 'g.id', 's.grievance_id')
    .whereNotNull('s.due_date')
    .whereNull('s.answered_at');
  if (f.personId) q.where((w) => w.where('s.staff_id', f.personId!).orWhere('g.assignee_id', f.personId!));
  else whereDepartmentInScope(q, f.scope, 'g.department_id');
  const row = await q.count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);

/** grievanceStats for the whole union; for a branch, the same figures over its departments' tallies. */
export async function scopedGrievanceStats(ctx: Ctx, f: StatsFilter, scope: Scope) {
  if (scope.all) return grievanceStats(ctx, f);
  const q = ctx
    .db('union_grievance_tallies')
    .groupBy('month')
    .select(
      'month',
      ...['n', 'resolved', 'on_time', 'timed', 'good', 'evaluated', 'days', 'days_n'].map((c) => ctx.db.raw('sum(??) as ??', [c, c])),
    );
  if (f.from) q.where('month', '>=', f.from.slice(0, 7));
  if (f.to) q.where('month', '<=', f.to.slice(0, 7));
  whereDepartmentInScope(q, scope, 'department_id');
  type Sums = Record<'n' | 'resolved' | 'on_time' | 'timed' | 'good' | 'evaluated' | 'days' | 'days_n', number | string | null>;
  const rows = (await q) as Array<Sums & { month: string }>;
  const rates = (s: Sums) => ({
    resolutionRate: ratio(Number(s.resolved ?? 0), Number(s.n ?? 0)),
    onTimeRate: ratio(Number(s.on_time ?? 0), Number(s.timed ?? 0)),
    satisfactionRate: ratio(Number(s.good ?? 0), Number(s.evaluated ?? 0)),
    averageHandlingDays: Number(s.days_n ?? 0) ? Math.round((Number(s.days ?? 0) / Number(s.days_n)) * 10) / 10 : null,
  });
  const total = rows.reduce(
    (acc, r) => {
      for (const k of Object.keys(acc) as Array<keyof Sums>) acc[k] = Number(acc[k]) + Number(r[k] ?? 0);
      return acc;
    },
    { n: 0, resolved: 0, on_time: 0, timed: 0, good: 0, evaluated: 0, days: 0, days_n: 0 } as Sums,
  );
  return {
    total: Number(total.n),
    ...rates(total),
    byMonth: rows
      .filter((r) => Number(r.n) > 0)
      .map((r) => ({ month: r.month, count: Number(r.n), ...rates(r) }))
      .sort((a, b) => a.month.localeCompare(b.month)),
  };
}
