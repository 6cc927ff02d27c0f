/**
 * Late steps of assistance cases: once a step's working-day deadline has passed, the handler is told; after
 * a further working day, the chair. Each level is told once per deadline (`overdue_for` keeps the due date
 * the level belongs to, so the next step's deadline starts again at 0), raised by a conditional UPDATE so
 * two instances or a double run tell once. The rule of levels is the grievances' (`levelFor`).
 */
import type { Actor, Ctx } from '../../context';
import { inTransaction } from '../../lib/db';
import { asDate } from '../../lib/time';
import { loadCalendar } from '../../lib/workdays';
import { writeAuditMany } from '../audit';
import { sendNotice } from '../notices';
import { levelFor } from '../escalation';
import { peopleWithRole } from '../roles';
import { caseLink, categoryLabel } from './assistance';

const JOB: Actor = { id: 'job:assistance-overdue', kind: 'job' };
const CLOCKED = ['submitted', 'accepted', 'verified', 'noticed', 'approved', 'paid'];

export async function escalateOverdueCases(ctx: Ctx): Promise<{ handler: number; chair: number }> {
  const now = ctx.nowSql();
  const today = ctx.today();
  const rows: Array<{
    id: number;
    status: string;
    handler_id: string;
    category: string;
    due_date: unknown;
    overdue_level: number;
    overdue_for: unknown;
  }> = await ctx
    .db('union_assistance_cases')
    .whereIn('status', CLOCKED)
    .where('due_at', '<', now)
    .orderBy('id')
    .limit(5000)
    .select('id', 'status', 'handler_id', 'category', 'due_date', 'overdue_level', 'overdue_for');
  if (!rows.length) return { handler: 0, chair: 0 };
  const cal = await loadCalendar(ctx.db);
  const raised = await inTransaction(ctx.db, async (trx) => {
    const done: Array<{ id: number; status: string; handler: string; category: string; from: number; to: number }> = [];
    for (const r of rows) {
      const due = asDate(r.due_date)!;
      const current = asDate(r.overdue_for) === due ? r.overdue_level : 0;
      const level = levelFor(due, today, cal.workingDaysBetween(due, today));
      if (level <= current) continue;
      const n = await trx('union_assistance_cases')
        .where({ id: r.id, due_date: due })
        .where((w) => w.whereNull('overdue_for').orWhereNot('overdue_for', due).orWhere('overdue_level', '<', level))
        .update({ overdue_level: level, overdue_for: due });
      if (n) done.push({ id: r.id, status: r.status, handler: r.handler_id, category: r.category, from: current, to: level });
    }
    if (!done.length) return done;
    await trx('union_assistance_history').insert(
      done.map((d) => ({ case_id: d.id, at: now, actor: JOB.id, action: `overdue_${d.to}`, from_status: d.status, to_status: d.status })),
    );
    await writeAuditMany(
      ctx,
      trx,
      JOB,
      done.map((d) => ({
        action: 'assistance_case.overdue',
        entity: 'assistance_case',
        entityId: d.id,
        before: { level: d.from },
        after: { level: d.to },
      })),
    );
    return done;
  });
  // A case that jumped straight to level 2 (the job was down on its due day) tells both, each once.
  const toHandler = raised.filter((d) => d.from < 1);
  const toChair = raised.filter((d) => d.to >= 2);
  for (const d of toHandler)
    await sendNotice(ctx, {
      to: [d.handler],
      template: 'union.assistance.overdue',
      key: 'assistance.notify.overdue',
      vars: { id: d.id, category: categoryLabel(ctx, d.category) },
      link: caseLink(d.id),
    });
  if (toChair.length) {
    const chairIds = await peopleWithRole(ctx, 'union.chair');
    for (const d of toChair)
      await sendNotice(ctx, {
        to: chairIds,
        template: 'union.assistance.overdueChair',
        key: 'assistance.notify.overdueChair',
        vars: { id: d.id, category: categoryLabel(ctx, d.category) },
        link: caseLink(d.id),
      });
  }
  return { handler: toHandler.length, chair: toChair.length };
}
