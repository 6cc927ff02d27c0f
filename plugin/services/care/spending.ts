/**
 * Where the money went (福利去向): for a period, per plan, per union org and per service group, how many
 * were entitled, how many were paid, how many are missing, and the amount paid. Set-based: one count of
 * the entitled per org, one per group, one aggregate of the payments per (plan, org) and one per group;
 * nothing is read per person. Entitlement is the welfare ledger's own rule (entitlement.ts, welfare-rules.ts):
 * a plan due in the period owes everyone who was a member during it; a per-occurrence plan owes the people
 * whose occasion fell in it (spending-occasions.ts, the gap report's rule). A hardship grant's amount is the
 * case's (the committee decides it per case), read through the payment's batch.
 */
import type { Knex } from 'knex';
import type { Ctx } from '../../context';
import { t, type Lang } from '../../i18n';
import { periodBounds, whereMemberDuring } from './entitlement';
import { groupCutoffs } from './groups';
import { hardshipEmployeeIds } from './hardship-seam';
import { careSettings, GROUP_CODES, type GroupCode } from './settings';
import { listPlans, type PlanRow } from './welfare';
import { isDue } from './welfare-rules';
import { occasionCounts } from './spending-occasions';

export interface SpendingLine {
  key: string;
  label: string;
  entitled: number;
  paid: number;
  missing: number;
  amount: number;
}

export interface Spending {
  period: string;
  planId: number | null;
  totals: Omit<SpendingLine, 'key' | 'label'>;
  byPlan: SpendingLine[];
  byOrg: SpendingLine[];
  byGroup: SpendingLine[];
}

interface PaidAgg {
  plan_id: number;
  k: string | number | null;
  paid: unknown;
  paid_entitled: unknown;
  cents: unknown;
}

/**
 * Payments of the period under the given plans, one row per plan, with how many payees were entitled and the
 * amount. Payments are first folded to one row per (plan, person), so a duplicate counts the person once
 * without a count(distinct) over the join; the person's membership row (one per person) then says the org
 * and whether they were a member during the period: the test of entitlement.ts's whereMemberDuring, written
 * as a CASE so the payments need one join, not a derived table of members. A hardship grant has no amount
 * on the plan: the case's is read, only for such rows, through the payment's batch.
 */
function payments(ctx: Ctx, period: string, planIds: number[]): Knex.QueryBuilder {
  const db = ctx.db;
  const { start, end } = periodBounds(period);
  const during = "m.status <> 'pending' and m.joined_at is not null and m.joined_at <= ? and (m.expired_at is null or m.expired_at > ?)";
  const grant =
    '(select a.amount_cents from union_assistance_cases a where a.welfare_batch = wp.batch and a.employee_id = wp.employee_id limit 1)';
  const perPerson = db('union_welfare_payments as wp')
    .whereIn('wp.plan_id', planIds.length ? planIds : [0])
    .where('wp.period', period)
    .groupBy('wp.plan_id', 'wp.employee_id')
    .select('wp.plan_id', 'wp.employee_id', db.raw(`sum(coalesce(wp.amount_cents, ${grant}, 0)) as cents`));
  return db(perPerson.as('x'))
    .leftJoin('union_memberships as m', 'm.employee_id', 'x.employee_id')
    .groupBy('x.plan_id')
    .select(
      'x.plan_id',
      db.raw('count(*) as paid'),
      db.raw(`coalesce(sum(case when ${during} then 1 else 0 end), 0) as paid_entitled`, [end, start]),
      db.raw('coalesce(sum(x.cents), 0) as cents'),
    );
}

/**
 * The six groups' rules as 0/1 columns of a profile (alias p): the rules of groups.ts's inGroup, written as
 * expressions (as groupCounts does) so one scan groups by all six at once instead of a query per group.
 */
function groupFlags(ctx: Ctx): Knex.Raw[] {
  const db = ctx.db;
  const s = careSettings(ctx);
  const today = ctx.today();
  const c = groupCutoffs(today, s.newHireMonths, s.nearRetirementMonths);
  const flag = (cond: string, name: string, bindings: Knex.RawBinding[] = []) =>
    db.raw(`case when p.employed = 1 and ${cond} then 1 else 0 end as ${name}`, bindings);
  return [
    flag('p.hire_date > ? and p.hire_date <= ?', 'new_hire', [c.hiredAfter, today]),
    flag('p.shift_worker = 1', 'shift_worker'),
    flag('p.female = 1', 'female'),
    flag('p.expatriate = 1', 'expatriate'),
    flag('p.employee_id in (?)', 'hardship', [hardshipEmployeeIds(db)]),
    flag('p.retire_on <= ?', 'near_retirement', [c.retireBy]),
  ];
}

const line = (key: string, label: string) => ({ key, label, entitled: 0, paid: 0, missing: 0, amount: 0 });

/** Folds payment aggregates and entitled counts into lines; `dueIds` are the plans that owe anyone this period. */
function fold(
  lines: Map<string, SpendingLine>,
  entitledOf: (k: string) => number,
  paid: PaidAgg[],
  dueIds: Set<number>,
  keyOf: (a: PaidAgg) => string,
) {
  const paidEntitled = new Map<string, number>();
  for (const a of paid) {
    const k = keyOf(a);
    const l = lines.get(k);
    if (!l) continue;
    l.paid += Number(a.paid);
    l.amount += Number(a.cents);
    if (dueIds.has(a.plan_id)) paidEntitled.set(k, (paidEntitled.get(k) ?? 0) + Number(a.paid_entitled));
  }
  for (const [k, l] of lines) {
    l.entitled = entitledOf(k) * dueIds.size;
    l.missing = l.entitled - (paidEntitled.get(k) ?? 0);
  }
}

/** Adds what per-occurrence plans owe (spending-occasions.ts) to the periodic plans' lines. */
function addOccasions(lines: Map<string, SpendingLine>, counts: Map<string, { entitled: number; missing: number }>) {
  for (const [k, c] of counts) {
    const l = lines.get(k);
    if (!l) continue;
    l.entitled += c.entitled;
    l.missing += c.missing;
  }
}

export async function spendingReport(ctx: Ctx, lang: Lang, opts: { period: string; planId?: number | null }): Promise<Spending> {
  const { period } = opts;
  const planId = opts.planId ?? null;
  const plans = (await listPlans(ctx)).filter((p) => !planId || p.id === planId);
  const rule = (p: PlanRow) => ({ cycle: p.cycle, startsOn: p.starts_on, endsOn: p.ends_on });
  const due = plans.filter((p) => isDue(rule(p), period));
  const dueIds = new Set(due.map((p) => p.id));
  const planIds = plans.map((p) => p.id);
  const db = ctx.db;

  const [entitledByOrg, orgs, paidByOrg] = await Promise.all([
    whereMemberDuring(db('union_memberships as m'), period).groupBy('m.org_id').select('m.org_id as k', db.raw('count(*) as n')),
    db('union_orgs').select('id', 'name'),
    payments(ctx, period, planIds).groupBy('m.org_id').select('m.org_id as k'),
  ]);
  const occasions = await occasionCounts(ctx, plans, period, groupFlags(ctx));
  const entitledOrg = new Map<string, number>(entitledByOrg.map((r: { k: unknown; n: unknown }) => [String(r.k ?? ''), Number(r.n)]));
  const totalEntitled = [...entitledOrg.values()].reduce((a, b) => a + b, 0);

  const byPlan = plans.map((p) => {
    const aggs = (paidByOrg as PaidAgg[]).filter((a) => a.plan_id === p.id);
    const l = line(String(p.id), p.name);
    for (const a of aggs) {
      l.paid += Number(a.paid);
      l.amount += Number(a.cents);
    }
    if (dueIds.has(p.id)) {
      l.entitled = totalEntitled;
      l.missing = totalEntitled - aggs.reduce((n, a) => n + Number(a.paid_entitled), 0);
    }
    const occasional = occasions.byPlan.get(p.id);
    if (occasional) Object.assign(l, occasional);
    return l;
  });

  const orgName = new Map(orgs.map((o: { id: number; name: string }) => [String(o.id), o.name]));
  const orgKeys = new Set([...entitledOrg.keys(), ...occasions.byOrg.keys(), ...(paidByOrg as PaidAgg[]).map((a) => String(a.k ?? ''))]);
  const byOrg = new Map([...orgKeys].map((k) => [k, line(k, orgName.get(k) ?? t(lang, 'assistance.spending.noOrg'))]));
  fold(
    byOrg,
    (k) => entitledOrg.get(k) ?? 0,
    paidByOrg as PaidAgg[],
    dueIds,
    (a) => String(a.k ?? ''),
  );
  addOccasions(byOrg, occasions.byOrg);

  // Groups: one query for the entitled and one for the paid, each grouped by the six group flags.
  const flags = groupFlags(ctx);
  const flagNames = GROUP_CODES.join(', ');
  const [entitledFlags, paidFlags] = await Promise.all([
    whereMemberDuring(db('union_memberships as m'), period)
      .join('union_care_profiles as p', 'p.employee_id', 'm.employee_id')
      .select(...flags, db.raw('count(*) as n'))
      .groupByRaw(flagNames),
    payments(ctx, period, planIds)
      .join('union_care_profiles as p', 'p.employee_id', 'x.employee_id')
      .select(...flags)
      .groupByRaw(flagNames),
  ]);
  const has = (r: Record<string, unknown>, code: string) => Number(r[code]) === 1;
  const entitledGroup = new Map(GROUP_CODES.map((c) => [c, 0]));
  for (const r of entitledFlags as Array<Record<string, unknown>>)
    for (const c of GROUP_CODES) if (has(r, c)) entitledGroup.set(c, entitledGroup.get(c)! + Number(r.n));
  const paidGroup = (paidFlags as Array<PaidAgg & Record<string, unknown>>).flatMap((r) =>
    GROUP_CODES.filter((c) => has(r, c)).map((c) => ({ ...r, k: c })),
  );
  const byGroup = new Map(GROUP_CODES.map((c) => [c as string, line(c, t(lang, `care.groups.${c}.name`))]));
  fold(
    byGroup,
    (k) => entitledGroup.get(k as GroupCode) ?? 0,
    paidGroup,
    dueIds,
    (a) => String(a.k),
  );
  addOccasions(byGroup, occasions.byGroup);

  const lines = byPlan;
  const sum = (f: keyof Omit<SpendingLine, 'key' | 'label'>) => lines.reduce((a, l) => a + l[f], 0);
  const cents = (l: SpendingLine) => ({ ...l, amount: l.amount / 100 });
  return {
    period,
    planId,
    totals: { entitled: sum('entitled'), paid: sum('paid'), missing: sum('missing'), amount: sum('amount') / 100 },
    byPlan: lines.filter((l) => l.entitled || l.paid).map(cents),
    byOrg: [...byOrg.values()]
      .filter((l) => l.entitled || l.paid)
      .sort((a, b) => b.amount - a.amount || a.label.localeCompare(b.label))
      .map(cents),
    byGroup: [...byGroup.values()].map(cents),
  };
}
