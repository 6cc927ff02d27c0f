import type { Actor, Ctx } from '../../context';
import { inTransaction } from '../../lib/db';
import { asDate } from '../../lib/time';
import { loadCalendar } from '../../lib/workdays';
import { writeAuditMany } from '../audit';
import { sendNotice } from '../notices';
import { chairsOver } from './routing';
import { levelFor } from '../escalation';
import { categoryLabel } from './categories';

const JOB: Actor = { id: 'job:grievances-overdue', kind: 'job' };

/**
 * Finds open cases past their deadline (paused clocks excluded) and raises each to the level it has
 * reached, telling the assignee at level 1 and the chair at level 2, once per level: each raise is a
 * conditional UPDATE (`escalation_level < new`), so two instances or a double run raise, and tell, once.
 */
export async function escalateOverdue(ctx: Ctx): Promise<{ assignee: number; chair: number }> {
  const now = ctx.nowSql();
  const today = ctx.today();
  const rows: Array<{
    id: number;
    assignee_id: string;
    due_date: unknown;
    escalation_level: number;
    category: string;
    department_id: string | null;
  }> = await ctx
    .db('union_grievances')
    .whereIn('status', ['received', 'in_progress'])
    .whereNull('clock_paused_at')
    .where('due_at', '<', now)
    .where('escalation_level', '<', 2)
    .orderBy('id')
    .limit(5000)
    .select('id', 'assignee_id', 'due_date', 'escalation_level', 'category', 'department_id');
  if (!rows.length) return { assignee: 0, chair: 0 };
  const cal = await loadCalendar(ctx.db);
  const raised = await inTransaction(ctx.db, async (trx) => {
    const done: Array<{ id: number; assignee: string; category: string; departmentId: string | null; from: number; to: number }> = [];
    for (const r of rows) {
      const due = asDate(r.due_date)!;
      const level = levelFor(due, today, cal.workingDaysBetween(due, today));
      if (level <= r.escalation_level) continue;
      const n = await trx('union_grievances').where({ id: r.id }).where('escalation_level', '<', level).update({ escalation_level: level });
      if (!n) continue;
      done.push({
        id: r.id,
        assignee: r.assignee_id,
        category: r.category,
        departmentId: r.department_id,
        from: r.escalation_level,
        to: level,
      });
    }
    if (!done.length) return done;
    await trx('union_grievance_history').insert(
      done.map((d) => ({
        grievance_id: d.id,
        at: now,
        actor: JOB.id,
        action: `overdue_${d.to}`,
        from_status: null,
        to_status: 'overdue',
        note: null,
      })),
    );
    await writeAuditMany(
      ctx,
      trx,
      JOB,
      done.map((d) => ({
        action: 'grievance.escalate',
        entity: 'grievance',
        entityId: d.id,
        before: { level: d.from },
        after: { level: d.to },
      })),
    );
    return done;
  });
  // A case that jumped straight to level 2 (the job was down on its due day) tells both, each once.
  const toAssignee = raised.filter((d) => d.from < 1);
  const toChair = raised.filter((d) => d.to >= 2);
  for (const d of toAssignee)
    await sendNotice(ctx, {
      to: [d.assignee],
      template: 'union.grievance.overdue',
      key: 'grievances.notices.overdue',
      vars: { id: d.id },
      link: `/union/grievances/${d.id}`,
    });
  // Each case goes to the chairs who oversee its department (a branch's chair for the branch's cases).
  const chairsOf = new Map<string, Promise<string[]>>();
  for (const d of toChair) {
    const key = d.departmentId ?? '';
    if (!chairsOf.has(key)) chairsOf.set(key, chairsOver(ctx, d.departmentId));
    await sendNotice(ctx, {
      to: await chairsOf.get(key)!,
      template: 'union.grievance.overdueChair',
      key: 'grievances.notices.overdueChair',
      vars: { id: d.id, category: categoryLabel(ctx, d.category) },
      link: `/union/grievances/${d.id}`,
    });
  }
  return { assignee: toAssignee.length, chair: toChair.length };
}
