import type { Ctx } from '../../context';
import { sendNotice } from '../notices';
import { whereMemberDuring } from './entitlement';
import { careSettings } from './settings';
import { getPlan, listPlans, type PlanRow } from './welfare';
import { isDue, previousPeriod } from './welfare-rules';

export interface Gaps {
  planId: number;
  period: string;
  due: boolean;
  missing: Array<{ employeeId: string }>;
  duplicates: Array<{ employeeId: string; count: number }>;
  notEntitled: Array<{ employeeId: string }>;
}

const rule = (p: PlanRow) => ({ cycle: p.cycle, startsOn: p.starts_on, endsOn: p.ends_on });

/**
 * For one plan and period, three set-based queries (none per person): who was entitled and not paid,
 * who was paid more than once, who was paid without being entitled. Entitlement for `all_members` is
 * membership at some time in the period (entitlement.ts), and only in a period the plan is due.
 */
export async function planGaps(ctx: Ctx, planId: number, period: string): Promise<Gaps> {
  const plan = await getPlan(ctx, planId);
  const due = isDue(rule(plan), period);
  const paid = () => ctx.db('union_welfare_payments as p').where({ 'p.plan_id': planId, 'p.period': period });
  const [missing, duplicates, notEntitled] = await Promise.all([
    due
      ? whereMemberDuring(ctx.db('union_memberships as m'), period)
          .whereNotExists(paid().whereRaw('p.employee_id = m.employee_id').select(ctx.db.raw('1')))
          .orderBy('m.employee_id')
          .select('m.employee_id')
      : Promise.resolve([]),
    paid().groupBy('p.employee_id').havingRaw('count(*) > 1').orderBy('p.employee_id').select('p.employee_id', ctx.db.raw('count(*) as n')),
    (due
      ? paid().whereNotExists(
          whereMemberDuring(ctx.db('union_memberships as m'), period).whereRaw('m.employee_id = p.employee_id').select(ctx.db.raw('1')),
        )
      : paid()
    )
      .distinct('p.employee_id')
      .orderBy('p.employee_id'),
  ]);
  return {
    planId,
    period,
    due,
    missing: missing.map((r: { employee_id: string }) => ({ employeeId: r.employee_id })),
    duplicates: duplicates.map((r: { employee_id: string; n: unknown }) => ({ employeeId: r.employee_id, count: Number(r.n) })),
    notEntitled: notEntitled.map((r: { employee_id: string }) => ({ employeeId: r.employee_id })),
  };
}

/**
 * The monthly job: last month's gaps for every plan, sent to the staff named in the settings when any
 * plan has one. Returns the figures so a run's record says what was found.
 */
export async function monthlyGapReport(ctx: Ctx) {
  const period = previousPeriod(ctx.today());
  const totals = { period, plans: 0, missing: 0, duplicates: 0, notEntitled: 0, sent: 0 };
  for (const plan of await listPlans(ctx)) {
    const g = await planGaps(ctx, plan.id, period);
    if (!g.missing.length && !g.duplicates.length && !g.notEntitled.length) continue;
    totals.plans++;
    totals.missing += g.missing.length;
    totals.duplicates += g.duplicates.length;
    totals.notEntitled += g.notEntitled.length;
  }
  const to = careSettings(ctx).reportTo;
  if (totals.plans && to.length) {
    totals.sent = await sendNotice(ctx, {
      to,
      template: 'union.welfare.gaps',
      key: 'care.notices.gaps',
      vars: { period, plans: totals.plans, missing: totals.missing, duplicates: totals.duplicates, notEntitled: totals.notEntitled },
      link: '/union/welfare',
    });
  }
  return totals;
}
