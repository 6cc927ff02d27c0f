import type { Ctx } from '../../context';
import { loadActivity } from './activities';
import { audienceOf, audienceSize } from './audience';
import { fromSqlDateTime } from '../../lib/time';
import { rate } from './rules';

/**
 * Per activity: registered (holding a place, attended or not), attended, no-shows (after the end),
 * waitlisted, participation (attended ÷ registered), reach (registered ÷ audience), the average
 * score with its distribution, and the suggestions. Two aggregations over the activity's rows.
 */
export async function activityStats(ctx: Ctx, activityId: number) {
  const { activity } = await loadActivity(ctx.db, activityId);
  const row = await ctx
    .db('union_activity_registrations')
    .where({ activity_id: activityId })
    .select(
      ctx.db.raw("sum(case when status = 'registered' then 1 else 0 end) as registered"),
      ctx.db.raw("sum(case when status = 'registered' and checked_in_at is not null then 1 else 0 end) as attended"),
      ctx.db.raw("sum(case when status = 'waitlisted' then 1 else 0 end) as waitlisted"),
      ctx.db.raw("sum(case when status = 'offered' then 1 else 0 end) as offered"),
      ctx.db.raw('avg(score) as avg_score'),
    )
    .first();
  const dist = (await ctx
    .db('union_activity_registrations')
    .where({ activity_id: activityId })
    .whereNotNull('score')
    .groupBy('score')
    .select('score')
    .count({ n: '*' })) as Array<{
    score: number;
    n: number | string;
  }>;
  const suggestions = (await ctx
    .db('union_activity_registrations')
    .where({ activity_id: activityId })
    .whereNotNull('suggestion')
    .orderBy('feedback_at')
    .limit(500)
    .select('score', 'suggestion', 'feedback_at')) as Array<{ score: number; suggestion: string; feedback_at: string }>;
  const registered = Number(row?.registered ?? 0);
  const attended = Number(row?.attended ?? 0);
  const ended = fromSqlDateTime(activity.end_at)!.getTime() <= ctx.now().getTime();
  const audience = await audienceSize(ctx, audienceOf(activity));
  const distribution = [1, 2, 3, 4, 5].map((s) => ({ score: s, count: Number(dist.find((d) => Number(d.score) === s)?.n ?? 0) }));
  return {
    id: activity.id,
    title: activity.title,
    registered,
    attended,
    capacity: activity.capacity,
    waitlisted: Number(row?.waitlisted ?? 0),
    offered: Number(row?.offered ?? 0),
    noShows: ended ? registered - attended : null,
    audience,
    participationRate: rate(attended, registered),
    reachRate: rate(registered, audience),
    averageScore: row?.avg_score === null || row?.avg_score === undefined ? null : Math.round(Number(row.avg_score) * 100) / 100,
    distribution,
    suggestions: suggestions.map((s) => ({ score: s.score, text: s.suggestion, at: fromSqlDateTime(s.feedback_at)!.toISOString() })),
  };
}
