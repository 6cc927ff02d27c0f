/**
 * Read models the desk asks of the congress area: motions past their answer deadline (every one for the
 * committee and the staff who record answers, or one answerer's own), votes still open, and what the
 * period decided: votes closed with their outcome, motions answered with how their proposers rated them.
 * Counts only: no motion's proposer, no ballot.
 */
import type { Ctx } from '../../context';
import { dayRangeSql } from '../../lib/workdays';

const count = async (q: PromiseLike<unknown>) => Number(((await q) as { n?: unknown } | undefined)?.n ?? 0);

/** Motions with a department (status assigned) whose answer deadline has passed; the overdue job's test. */
export function overdueMotions(ctx: Ctx, answererId: string | null): Promise<number> {
  const q = ctx.db('union_congress_motions').where({ status: 'assigned' }).where('due_at', '<', ctx.nowSql());
  if (answererId) q.where({ answerer_id: answererId });
  return count(q.count({ n: '*' }).first());
}

/** Votes opened and not yet closed, in any session. */
export function openVotes(ctx: Ctx): Promise<number> {
  return count(ctx.db('union_congress_votes').where({ status: 'open' }).count({ n: '*' }).first());
}

/** Votes closed within the days `from`..`to` (local calendar), passed and failed. */
export async function resolutionsBetween(ctx: Ctx, from: string, to: string): Promise<{ passed: number; failed: number }> {
  const { start, end } = dayRangeSql(from, to, ctx.settings.timezone);
  const rows = (await ctx
    .db('union_congress_votes')
    .where({ status: 'closed' })
    .whereBetween('closed_at', [start, end])
    .select('passed')) as Array<{ passed: unknown }>;
  const passed = rows.filter((r) => Boolean(Number(r.passed))).length;
  return { passed, failed: rows.length - passed };
}

/**
 * Motions whose (latest) answer was given within the days `from`..`to`, and how their proposers rated
 * them so far: satisfied or basically satisfied, dissatisfied, not yet rated.
 */
export async function answersBetween(
  ctx: Ctx,
  from: string,
  to: string,
): Promise<{ answered: number; satisfied: number; dissatisfied: number; unrated: number }> {
  const { start, end } = dayRangeSql(from, to, ctx.settings.timezone);
  const rows = (await ctx
    .db('union_congress_motions')
    .whereIn('status', ['answered', 'closed', 'assigned'])
    .whereNotNull('answered_at')
    .whereBetween('answered_at', [start, end])
    .select('rating')) as Array<{ rating: string | null }>;
  const satisfied = rows.filter((r) => r.rating === 'satisfied' || r.rating === 'basically_satisfied').length;
  const dissatisfied = rows.filter((r) => r.rating === 'dissatisfied').length;
  return { answered: rows.length, satisfied, dissatisfied, unrated: rows.length - satisfied - dissatisfied };
}
