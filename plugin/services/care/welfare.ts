import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor, Ctx } from '../../context';
import { chunks, inTransaction, lockForUpdate } from '../../lib/db';
import { asDate } from '../../lib/time';
import { Invalid, NotFound } from '../../errors';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { careSettings } from './settings';
import { toCents, type Cycle } from './welfare-rules';
import type { Occasion } from './occurrences';

export interface PlanInput {
  name: string;
  amount?: number;
  item?: string;
  cycle: Cycle;
  startsOn: string;
  endsOn?: string;
  audience: 'all_members';
  /**
   * What a per-occurrence plan pays for (refused for other cycles). A per-occurrence plan without one (a
   * birthday coupon handed out by staff) owes nobody by itself: its payments are simply recorded.
   */
  occasion?: Occasion;
}

export interface PlanRow {
  id: number;
  name: string;
  amount_cents: number | null;
  item: string | null;
  cycle: Cycle;
  starts_on: string;
  ends_on: string | null;
  audience: string;
  occasion: Occasion | null;
}

/** A plan, with the per-payment limit of the settings (provinces differ) checked on its amount. */
export async function createPlan(ctx: Ctx, actor: Actor, input: PlanInput): Promise<{ id: number }> {
  const s = careSettings(ctx);
  if (input.amount === undefined && !input.item)
    throw new Invalid('A plan pays an amount or an item', [{ path: 'amount', message: 'is required when there is no item' }]);
  const cents = input.amount === undefined ? null : toCents(input.amount);
  if (cents !== null && s.maxPerPaymentCents && cents > s.maxPerPaymentCents) {
    throw new Invalid('The amount is over the limit per payment', [
      { path: 'amount', message: `must be at most ${s.maxPerPaymentCents / 100}` },
    ]);
  }
  if (input.cycle !== 'per_occurrence' && input.occasion) throw Invalid.field('occasion', 'is only for per-occurrence plans');
  const perOccasion = input.occasion ? s.occasionLimits[input.occasion]?.maxPerPaymentCents : undefined;
  if (cents !== null && perOccasion && cents > perOccasion)
    throw Invalid.field('amount', `must be at most ${perOccasion / 100} for ${input.occasion}`);
  if (input.endsOn && input.endsOn < input.startsOn)
    throw new Invalid('The plan ends before it starts', [{ path: 'endsOn', message: 'must not be before startsOn' }]);
  return inTransaction(ctx.db, async (trx) => {
    const row = {
      name: input.name,
      amount_cents: cents,
      item: input.item ?? null,
      cycle: input.cycle,
      starts_on: input.startsOn,
      ends_on: input.endsOn ?? null,
      audience: input.audience,
      occasion: input.occasion ?? null,
      created_by: actor.id,
      created_at: ctx.nowSql(),
    };
    const [id] = await trx('union_welfare_plans').insert(row);
    await writeAudit(ctx, trx, actor, { action: 'welfare.plan.created', entity: 'welfare_plan', entityId: id, after: row });
    return { id: Number(id) };
  });
}

export async function getPlan(ctx: Ctx, id: number): Promise<PlanRow> {
  const row = await ctx.db('union_welfare_plans').where({ id }).first();
  if (!row) throw new NotFound('No such welfare plan');
  return { ...row, starts_on: asDate(row.starts_on)!, ends_on: asDate(row.ends_on) };
}

export async function listPlans(ctx: Ctx): Promise<PlanRow[]> {
  const rows = await ctx.db('union_welfare_plans').orderBy('id', 'desc').limit(200);
  return rows.map((r: PlanRow) => ({ ...r, starts_on: asDate(r.starts_on)!, ends_on: asDate(r.ends_on) }));
}

/**
 * Payments made for a plan and period, recorded in bulk as finance made them: one row per person, one
 * audit row for the batch. A second payment for the same person is recorded too (it happened); gap
 * detection reports it. The yearly limit per person (a setting) is checked for the whole list at once.
 */
export async function recordPayments(
  ctx: Ctx,
  actor: Actor,
  input: PaymentsInput,
  /** A bulk run's batch id, when this call is one chunk of it (welfare-bulk.ts). */
  batch: string = randomUUID(),
): Promise<{ recorded: number; batch: string }> {
  const out = await inTransaction(ctx.db, (trx) => writePayments(ctx, trx, actor, input, batch));
  await tellPaid(ctx, input, out.planName);
  return { recorded: out.recorded, batch: out.batch };
}

export interface PaymentsInput {
  planId: number;
  period: string;
  employeeIds: string[];
}

/** After commit: each person is told that something was paid (a failed notice never undoes the record). */
export async function tellPaid(ctx: Ctx, input: PaymentsInput, planName: string): Promise<void> {
  await sendNotice(ctx, {
    to: input.employeeIds,
    template: 'union.welfare.paid',
    key: 'care.notices.paid',
    vars: { plan: planName, period: input.period },
    link: '/union/my-welfare',
  });
}

/**
 * The one writer of payments, inside the caller's transaction (recordPayments, the finance import's
 * commit): locks the plan, checks the limits for the whole list, inserts, writes the audit row.
 */
export async function writePayments(
  ctx: Ctx,
  trx: Knex.Transaction,
  actor: Actor,
  input: PaymentsInput,
  batch: string,
): Promise<{ recorded: number; batch: string; planName: string }> {
  const s = careSettings(ctx);
  const plan = await lockForUpdate(trx, trx('union_welfare_plans').where({ id: input.planId })).first();
  if (!plan) throw new NotFound('No such welfare plan');
  const cents: number | null = plan.amount_cents;
  if (cents !== null && s.maxPerPersonYearCents) {
    const year = input.period.slice(0, 4);
    const over: string[] = [];
    for (const ids of chunks(input.employeeIds, 1000)) {
      const rows = await trx('union_welfare_payments')
        .whereIn('employee_id', ids)
        .where('period', 'like', `${year}-%`)
        .groupBy('employee_id')
        .havingRaw('sum(coalesce(amount_cents, 0)) > ?', [s.maxPerPersonYearCents - cents])
        .select('employee_id');
      over.push(...rows.map((r: { employee_id: string }) => r.employee_id));
    }
    if (cents > s.maxPerPersonYearCents) over.push(...input.employeeIds);
    if (over.length) {
      throw new Invalid('Some people would pass the yearly limit per person', [
        { path: 'employeeIds', message: `over the yearly limit: ${[...new Set(over)].slice(0, 20).join(', ')}` },
      ]);
    }
  }
  const perYear = plan.occasion ? s.occasionLimits[plan.occasion as Occasion]?.perYear : undefined;
  if (perYear) await assertOccasionCount(trx, plan.occasion, input.period.slice(0, 4), input.employeeIds, perYear);
  const at = ctx.nowSql();
  const rows = input.employeeIds.map((employee_id) => ({
    plan_id: input.planId,
    period: input.period,
    employee_id,
    amount_cents: cents,
    batch,
    recorded_by: actor.id,
    recorded_at: at,
  }));
  for (const part of chunks(rows, 500)) await trx('union_welfare_payments').insert(part);
  await writeAudit(ctx, trx, actor, {
    action: 'welfare.payments.recorded',
    entity: 'welfare_plan',
    entityId: input.planId,
    after: { period: input.period, batch, count: rows.length },
  });
  return { recorded: rows.length, batch, planName: String(plan.name) };
}

export interface OwnPayment {
  plan: string;
  period: string;
  amount: number | null;
  item: string | null;
  recordedAt: string;
}

/** 我的福利: one person's own payments, newest first; nobody else's are ever read here. */
export async function ownPayments(ctx: Ctx, employeeId: string): Promise<OwnPayment[]> {
  const rows = await ctx
    .db('union_welfare_payments as p')
    .join('union_welfare_plans as w', 'w.id', 'p.plan_id')
    .where('p.employee_id', employeeId)
    .orderBy('p.id', 'desc')
    .limit(200)
    .select('w.name', 'w.item', 'p.period', 'p.amount_cents', 'p.recorded_at');
  return rows.map((r: { name: string; item: string | null; period: string; amount_cents: number | null; recorded_at: unknown }) => ({
    plan: r.name,
    period: r.period,
    amount: r.amount_cents === null ? null : r.amount_cents / 100,
    item: r.item,
    recordedAt: String(r.recorded_at).slice(0, 10),
  }));
}

/**
 * The occasion's yearly limit (settings, as provinces differ): a person may be paid for marriage, say, at
 * most perYear times a calendar year, across every plan for that occasion. Checked for the whole list at once.
 */
async function assertOccasionCount(trx: Knex, occasion: string, year: string, employeeIds: string[], perYear: number): Promise<void> {
  const over: string[] = [];
  for (const ids of chunks(employeeIds, 1000)) {
    const rows = await trx('union_welfare_payments as p')
      .join('union_welfare_plans as w', 'w.id', 'p.plan_id')
      .where('w.occasion', occasion)
      .whereIn('p.employee_id', ids)
      .where('p.period', 'like', `${year}-%`)
      .groupBy('p.employee_id')
      .havingRaw('count(*) >= ?', [perYear])
      .select('p.employee_id');
    over.push(...rows.map((r: { employee_id: string }) => r.employee_id));
  }
  if (over.length)
    throw new Invalid(`Some people were already paid ${perYear} time(s) for ${occasion} this year`, [
      { path: 'employeeIds', message: `over the yearly limit for ${occasion}: ${over.slice(0, 20).join(', ')}` },
    ]);
}
