/**
 * Read models the desk asks of the welfare ledger, set-based (two counts per plan and month, no list of
 * people): how many were due a payment and how many of them were paid, on planGaps' own definitions
 * (welfare-gaps.ts: due = a member during the period of a plan due then; paid = at least one payment).
 * So `due - paid` is planGaps' `missing.length`. A branch counts the members of its orgs.
 */
import type { Ctx } from '../../context';
import { whereOrgInScope, type Scope } from '../scope';
import { whereMemberDuring } from './entitlement';
import { membershipVersion } from '../membership-version';
import { listPlans, type PlanRow } from './welfare';
import { isDue } from './welfare-rules';

export interface PaidVsDue {
  due: number;
  paid: number;
  amountCents: number;
}

const rule = (p: PlanRow) => ({ cycle: p.cycle, startsOn: p.starts_on, endsOn: p.ends_on });

async function planMonth(ctx: Ctx, plan: PlanRow, period: string, scope: Scope, amounts: boolean): Promise<PaidVsDue> {
  if (!isDue(rule(plan), period)) return { due: 0, paid: 0, amountCents: 0 };
  const members = () => whereOrgInScope(whereMemberDuring(ctx.db('union_memberships as m'), period), scope, 'm.org_id');
  const [due, paid] = await Promise.all([
    members().count({ n: '*' }).first(),
    members()
      .whereExists((q) =>
        q
          .select(ctx.db.raw('1'))
          .from('union_welfare_payments as p')
          .where({ 'p.plan_id': plan.id, 'p.period': period })
          .whereRaw('p.employee_id = m.employee_id'),
      )
      .count({ n: '*' })
      .first(),
  ]);
  if (!amounts) return { due: Number(due?.n ?? 0), paid: Number(paid?.n ?? 0), amountCents: 0 };
  // What was paid, to whomever it went (a branch: to its members); the whole union needs no join.
  const paidRows = ctx.db('union_welfare_payments as p').where({ 'p.plan_id': plan.id, 'p.period': period });
  if (!scope.all) whereOrgInScope(paidRows.join('union_memberships as m', 'm.employee_id', 'p.employee_id'), scope, 'm.org_id');
  const amount = await paidRows.sum({ s: 'p.amount_cents' }).first();
  return { due: Number(due?.n ?? 0), paid: Number(paid?.n ?? 0), amountCents: Number(amount?.s ?? 0) };
}

/** Every plan, over the months given (YYYY-MM): due, paid and (unless `amounts` is false) the amount paid, summed. */
export async function paidVsDue(
  ctx: Ctx,
  months: string[],
  scope: Scope,
  amounts = true,
): Promise<PaidVsDue & { byMonth: Array<PaidVsDue & { month: string }> }> {
  const plans = await listPlans(ctx);
  const byMonth: Array<PaidVsDue & { month: string }> = [];
  for (const month of months) {
    const acc = { month, due: 0, paid: 0, amountCents: 0 };
    for (const plan of plans) {
      const r = await planMonth(ctx, plan, month, scope, amounts);
      acc.due += r.due;
      acc.paid += r.paid;
      acc.amountCents += r.amountCents;
    }
    byMonth.push(acc);
  }
  const sum = (k: keyof PaidVsDue) => byMonth.reduce((s, r) => s + r[k], 0);
  return { due: sum('due'), paid: sum('paid'), amountCents: sum('amountCents'), byMonth };
}

/**
 * What the welfare counts depend on, as one cheap string: the newest payment and plan (the ledger only
 * grows) and the membership version. Equal strings mean equal counts.
 */
export async function welfareInputsVersion(ctx: Ctx): Promise<string> {
  const [pay, plan, members] = await Promise.all([
    ctx.db('union_welfare_payments').max({ id: 'id' }).first(),
    ctx.db('union_welfare_plans').max({ id: 'id' }).first(),
    membershipVersion(ctx),
  ]);
  return `${Number(pay?.id ?? 0)}:${Number(plan?.id ?? 0)}:${members}`;
}
