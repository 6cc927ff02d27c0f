import type { Actor, Ctx } from '../../context';
import { Conflict } from '../../errors';
import { inTransaction } from '../../lib/db';
import { writeAudit } from '../audit';

/** 满意度评分与建议: once per person, only from those who attended. */
export async function submitFeedback(
  ctx: Ctx,
  actor: Actor,
  activityId: number,
  employeeId: string,
  input: { score: number; suggestion?: string },
) {
  await inTransaction(ctx.db, async (trx) => {
    // One guarded UPDATE: a second submission (or two at once) finds the score already set and changes nothing.
    const n = await trx('union_activity_registrations')
      .where({ activity_id: activityId, employee_id: employeeId, status: 'registered' })
      .whereNotNull('checked_in_at')
      .whereNull('score')
      .update({ score: input.score, suggestion: input.suggestion?.trim() || null, feedback_at: ctx.nowSql() });
    if (!n) {
      const r = await trx('union_activity_registrations')
        .where({ activity_id: activityId, employee_id: employeeId })
        .first('checked_in_at', 'score');
      if (r?.score !== null && r?.score !== undefined) throw new Conflict('You have already given feedback on this activity');
      throw new Conflict('Only those who attended can give feedback', [{ path: 'attended', message: 'not checked in' }]);
    }
    await writeAudit(ctx, trx, actor, {
      action: 'activity.feedback',
      entity: 'activity_registration',
      entityId: `${activityId}:${employeeId}`,
      after: { score: input.score },
    });
  });
  return { score: input.score };
}
