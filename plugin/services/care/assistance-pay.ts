/**
 * 发放: a hardship grant is paid as a welfare payment under the hardship-grant plan, through the welfare
 * ledger's own writer (recordPayments), so 我的福利, the gap report and the spending report see it like
 * any other payment. The payment and the case's move share one transaction: the welfare writer runs in
 * a savepoint of it, and a refused move (409, 404) takes the payment back with it; what the writer would
 * tell the employee is sent once the whole has committed.
 */
import type { Knex } from 'knex';
import type { Actor, Ctx, Trx } from '../../context';
import type { UnionUser } from '../../auth';
import type { Notification } from '../../host';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { t } from '../../i18n';
import { allowedActions, transition } from '../workflow';
import { createPlan, recordPayments } from './welfare';
import { HARDSHIP_OCCASION } from './occurrences';
import { assistanceFlow, type CaseRow, type PayInput } from './assistance-flow';
import { assistanceSettings, stepDays } from './assistance-rules';
import { moverOf, present, tellApplicant } from './assistance';

const GRANT_PLAN_KEY = 'grant_plan';

/**
 * The module's context with its database narrowed to the transaction, for writers that open their own, and
 * its notices held back until the transaction has committed: a notice never tells of a payment that was
 * rolled back, and a host that records notices in its own database (SQLite: one connection) is not kept
 * waiting for the connection this transaction holds.
 */
function within(ctx: Ctx, trx: Trx, held: Notification[]): Ctx {
  const notify = { send: async (n: Notification) => void held.push(n) };
  return { ...ctx, db: trx as unknown as Knex, host: { ...ctx.host, notify } };
}

/** Sends what a writer said inside the transaction, now that it has committed; a failed notice is logged. */
async function release(ctx: Ctx, held: Notification[]) {
  for (const n of held) {
    try {
      await ctx.host.notify.send(n);
    } catch (err) {
      ctx.host.logger.warn({ err, template: n.template, recipients: n.to.length }, 'union: notification failed');
    }
  }
}

/**
 * The plan hardship grants are paid under, made once by the welfare writer. Its amount is per case (the
 * committee's decision), so the plan names the grant as its item; the case keeps the amount.
 */
export async function grantPlanId(ctx: Ctx, trx: Trx, actor: Actor, held: Notification[]): Promise<number> {
  await trx('union_assistance_keys').insert({ name: GRANT_PLAN_KEY, value: null }).onConflict('name').ignore();
  const key = await lockForUpdate(trx, trx('union_assistance_keys').where({ name: GRANT_PLAN_KEY })).first();
  if (key?.value) return Number(key.value);
  const lang = ctx.settings.locale;
  const { id } = await createPlan(within(ctx, trx, held), actor, {
    name: t(lang, 'assistance.grantPlan.name'),
    item: t(lang, 'assistance.grantPlan.item'),
    cycle: 'per_occurrence',
    occasion: HARDSHIP_OCCASION,
    startsOn: ctx.today(),
    audience: 'all_members',
  });
  await trx('union_assistance_keys')
    .where({ name: GRANT_PLAN_KEY })
    .update({ value: String(id) });
  return id;
}

/** Records the grant as paid: the welfare payment and the case's move to 发放, or neither. */
export async function payCase(ctx: Ctx, user: UnionUser, id: number, body: { note?: string }) {
  const mover = moverOf(user);
  const held: Notification[] = [];
  const moved = await inTransaction(ctx.db, async (trx) => {
    held.length = 0; // a retried transaction starts with nothing said
    const row: CaseRow | undefined = await lockForUpdate(trx, trx('union_assistance_cases').where({ id })).first();
    const days = stepDays(assistanceSettings(ctx), Boolean(row?.urgent), 'followUp');
    let input: PayInput = { ...body, days, planId: 0, batch: '' };
    // Only a move the table allows records money; otherwise the transition refuses it with its own answer.
    if (row && allowedActions(assistanceFlow, row, mover).includes('pay')) {
      const planId = await grantPlanId(ctx, trx, mover, held);
      // The case is the occasion: the grant is owed to this person this month (what the gap report checks).
      await trx('union_welfare_occurrences')
        .insert({
          employee_id: row.employee_id,
          kind: HARDSHIP_OCCASION,
          occurred_on: ctx.today(),
          source: 'assistance',
          recorded_by: mover.id,
          recorded_at: ctx.nowSql(),
        })
        .onConflict(['employee_id', 'kind', 'occurred_on'])
        .ignore();
      const paid = await recordPayments(within(ctx, trx, held), mover, {
        planId,
        period: ctx.today().slice(0, 7),
        employeeIds: [row.employee_id],
      });
      input = { ...input, planId, batch: paid.batch };
    }
    return transition(ctx, trx, assistanceFlow, id, 'pay', mover, input);
  });
  await release(ctx, held);
  await tellApplicant(ctx, moved.after);
  return present(moved.after);
}
