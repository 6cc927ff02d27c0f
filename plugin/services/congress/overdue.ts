import type { Actor, Ctx } from '../../context';
import { inTransaction } from '../../lib/db';
import { asDate } from '../../lib/time';
import { loadCalendar } from '../../lib/workdays';
import { writeAuditMany } from '../audit';
import { sendNotice } from '../notices';
import { levelFor } from '../escalation';
import { chairs } from '../grievances/routing';

const JOB: Actor = { id: 'job:congress-overdue', kind: 'job' };

/**
 * Chases motions whose answer is overdue, once per level: the answerer once the due day has passed, the
 * chair after a further working day. Each raise is a conditional UPDATE (`escalation_level < new`), so two
 * instances or a double run chase once; the scheduler runs it under its lease.
 */
export async function chaseOverdueMotions(ctx: Ctx): Promise<{ answerer: number; chair: number }> {
  const now = ctx.nowSql();
  const today = ctx.today();
  const rows = (await ctx
    .db('union_congress_motions')
    .where({ status: 'assigned' })
    .where('due_at', '<', now)
    .where('escalation_level', '<', 2)
    .orderBy('id')
    .limit(5000)
    .select('id', 'answerer_id', 'due_date', 'escalation_level', 'title')) as Array<{
    id: number;
    answerer_id: string;
    due_date: unknown;
    escalation_level: number;
    title: string;
  }>;
  if (!rows.length) return { answerer: 0, chair: 0 };
  const cal = await loadCalendar(ctx.db);
  const raised = await inTransaction(ctx.db, async (trx) => {
    const done: Array<{ id: number; answerer: string; title: string; from: number; to: number }> = [];
    for (const r of rows) {
      const due = asDate(r.due_date)!;
      const level = levelFor(due, today, cal.workingDaysBetween(due, today));
      if (level <= r.escalation_level) continue;
      const n = await trx('union_congress_motions')
        .where({ id: r.id, status: 'assigned' })
        .where('escalation_level', '<', level)
        .update({ escalation_level: level });
      if (n) done.push({ id: r.id, answerer: r.answerer_id, title: r.title, from: r.escalation_level, to: level });
    }
    if (!done.length) return done;
    await trx('union_congress_motion_history').insert(
      done.map((d) => ({
        motion_id: d.id,
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
        action: 'congress_motion.chase',
        entity: 'congress_motion',
        entityId: d.id,
        before: { level: d.from },
        after: { level: d.to },
      })),
    );
    return done;
  });
  const toAnswerer = raised.filter((d) => d.from < 1);
  const toChair = raised.filter((d) => d.to >= 2);
  for (const d of toAnswerer)
    await sendNotice(ctx, {
      to: [d.answerer],
      template: 'union.congress.motionOverdue',
      key: 'congress.notices.overdue',
      vars: { title: d.title },
      link: `/union/congress/motions/${d.id}`,
    });
  if (toChair.length) {
    const chairIds = await chairs(ctx);
    for (const d of toChair)
      await sendNotice(ctx, {
        to: chairIds,
        template: 'union.congress.motionOverdueChair',
        key: 'congress.notices.overdueChair',
        vars: { title: d.title },
        link: `/union/congress/motions/${d.id}`,
      });
  }
  return { answerer: toAnswerer.length, chair: toChair.length };
}
