import { randomUUID } from 'node:crypto';
import type { Actor, Ctx } from '../../context';
import { inTransaction } from '../../lib/db';
import { fromSqlDateTime, sqlDateTime } from '../../lib/time';
import { writeAudit } from '../audit';
import { notifyReminder } from './notices';
import { activitySettings } from './settings';

/**
 * Reminds registered people reminderHours before the start, once each: one UPDATE claims the rows
 * not yet reminded for this run (reminded_at IS NULL is re-checked under each row's lock, so a second
 * run, here or on another instance, claims none of them), and only the claimed rows are told.
 */
export async function sendReminders(ctx: Ctx, actor: Actor): Promise<{ reminded: number }> {
  const run = randomUUID();
  const now = ctx.now();
  const until = new Date(now.getTime() + activitySettings(ctx).reminderHours * 3600_000);
  const claimed = await inTransaction(ctx.db, async (trx) => {
    const n = await trx('union_activity_registrations')
      .where({ status: 'registered' })
      .whereNull('reminded_at')
      .whereIn(
        'activity_id',
        trx('union_activities')
          .select('id')
          .where({ status: 'published' })
          .andWhere('start_at', '>', sqlDateTime(now))
          .andWhere('start_at', '<=', sqlDateTime(until)),
      )
      .update({ reminded_at: ctx.nowSql(), reminder_run: run });
    if (n)
      await writeAudit(ctx, trx, actor, {
        action: 'activity.remind',
        entity: 'activity_reminder_run',
        entityId: run,
        after: { claimed: n },
      });
    return n;
  });
  if (!claimed) return { reminded: 0 };
  const rows = (await ctx
    .db('union_activity_registrations as r')
    .join('union_activities as a', 'a.id', 'r.activity_id')
    .where('r.reminder_run', run)
    .select('a.id', 'a.title', 'a.start_at', 'a.location', 'r.employee_id')) as Array<{
    id: number;
    title: string;
    start_at: string;
    location: string;
    employee_id: string;
  }>;
  const byActivity = new Map<number, { a: (typeof rows)[number]; to: string[] }>();
  for (const r of rows) {
    const g = byActivity.get(r.id) ?? { a: r, to: [] };
    g.to.push(r.employee_id);
    byActivity.set(r.id, g);
  }
  for (const { a, to } of byActivity.values())
    await notifyReminder(ctx, { id: a.id, title: a.title, startAt: fromSqlDateTime(a.start_at)!.toISOString(), location: a.location }, to);
  return { reminded: rows.length };
}
