/**
 * Read models the desk asks of hardship assistance: cases whose public notice (公示) ends soon, cases on the
 * hardship list due for their yearly review, and the assistance given in a period. One handler's own cases,
 * or every case in a scope (by the applicant's department) for the chair. Counts and sums only: never a
 * name, a category or what was written.
 */
import type { Knex } from 'knex';
import type { Ctx } from '../../context';
import { whereDepartmentInScope, type Scope } from '../scope';
import { assistanceSettings } from './assistance-rules';

export interface CaseFilter {
  /** Only cases this person handles (null: every case in the scope, for the chair). */
  handlerId: string | null;
  scope: Scope;
}

function cases(ctx: Ctx, f: CaseFilter): Knex.QueryBuilder {
  const q = ctx.db('union_assistance_cases');
  if (f.handlerId) return q.where({ handler_id: f.handlerId });
  return whereDepartmentInScope(q, f.scope, 'department_id');
}

const n = (row: unknown) => Number((row as { n?: unknown } | undefined)?.n ?? 0);

/** Cases in 公示 whose notice ends on or before `endsBy` (a date): the confirmation falls due soon. */
export async function noticesEndingBy(ctx: Ctx, f: CaseFilter, endsBy: string): Promise<number> {
  return n(await cases(ctx, f).where({ status: 'noticed' }).where('notice_ends_on', '<=', endsBy).count({ n: '*' }).first());
}

/**
 * Cases on the hardship list whose yearly review falls due within the settings' lead days (the window in
 * which the daily job reminds the handler), or is already past.
 */
export async function reviewsDue(ctx: Ctx, f: CaseFilter): Promise<number> {
  const lead = assistanceSettings(ctx).reviewLeadDays;
  const horizon = new Date(Date.parse(`${ctx.today()}T00:00:00Z`) + lead * 86_400_000).toISOString().slice(0, 10);
  return n(await cases(ctx, f).where({ on_list: true }).where('review_due_on', '<=', horizon).count({ n: '*' }).first());
}

/** Assistance paid out (发放) on the days `from`..`to`: how many cases and the sum granted, in cents. */
export async function givenBetween(ctx: Ctx, from: string, to: string, scope: Scope): Promise<{ cases: number; amountCents: number }> {
  const row = (await whereDepartmentInScope(ctx.db('union_assistance_cases'), scope, 'department_id')
    .whereBetween('paid_on', [from, to])
    .count({ n: '*' })
    .sum({ cents: 'amount_cents' })
    .first()) as { n?: unknown; cents?: unknown } | undefined;
  return { cases: Number(row?.n ?? 0), amountCents: Number(row?.cents ?? 0) };
}
