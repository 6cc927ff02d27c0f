import type { Actor, Ctx } from '../../context';
import { t } from '../../i18n';
import { inTransaction } from '../../lib/db';
import { asDate } from '../../lib/time';
import { writeAuditMany } from '../audit';
import { sendNotice } from '../notices';
import { peopleWithRole } from '../roles';
import { CLOSED } from './shortfall-flow';

const JOB: Actor = { id: 'job:contracts-checks', kind: 'job' };

/**
 * Tells staff about shortfall cases whose step deadline has passed, once per deadline: the case keeps the
 * deadline it was chased for, so the next step's new deadline is chased again and a second run is silent.
 * With nobody the host lists as staff, nothing is marked (the chase stays due).
 */
export async function chaseOverdueShortfalls(ctx: Ctx): Promise<number> {
  const now = ctx.nowSql();
  const due: Array<{ id: number; kind: string; status: string; due_at: string; due_date: unknown }> = await ctx
    .db('union_shortfalls')
    .whereNotIn('status', CLOSED)
    .where('due_at', '<', now)
    .where((q) => q.whereNull('chased_due_at').orWhereRaw('chased_due_at <> due_at'))
    .orderBy('id')
    .select('id', 'kind', 'status', 'due_at', 'due_date');
  if (!due.length) return 0;
  const staff = await peopleWithRole(ctx, 'union.staff');
  if (!staff.length) return 0;
  const chased = await inTransaction(ctx.db, async (trx) => {
    const done: typeof due = [];
    for (const r of due) {
      const n = await trx('union_shortfalls')
        .where({ id: r.id, due_at: r.due_at })
        .where((q) => q.whereNull('chased_due_at').orWhereRaw('chased_due_at <> due_at'))
        .update({ chased_due_at: r.due_at });
      if (n) done.push(r);
    }
    if (!done.length) return done;
    await trx('union_shortfall_history').insert(
      done.map((r) => ({
        shortfall_id: r.id,
        at: now,
        actor: JOB.id,
        action: 'overdue',
        from_status: r.status,
        to_status: r.status,
        note: null,
      })),
    );
    await writeAuditMany(
      ctx,
      trx,
      JOB,
      done.map((r) => ({ action: 'shortfall.overdue', entity: 'shortfall', entityId: r.id, after: { dueDate: asDate(r.due_date) } })),
    );
    return done;
  });
  const lang = ctx.settings.locale;
  for (const r of chased)
    await sendNotice(ctx, {
      to: staff,
      template: 'union.shortfall.overdue',
      key: 'contracts.notices.shortfallOverdue',
      vars: {
        kind: t(lang, `contracts.shortfallKinds.${r.kind}`),
        step: t(lang, `contracts.shortfallStatus.${r.status}`),
        dueDate: asDate(r.due_date)!,
      },
      link: `/union/contracts/shortfalls/${r.id}`,
    });
  return chased.length;
}
