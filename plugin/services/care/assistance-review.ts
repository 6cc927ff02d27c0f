/**
 * The yearly review of the hardship list: every case on the list falls due a year after its approval or
 * its last review. The daily job reminds the handling staff once per due date, `reviewLeadDays` ahead;
 * the outcome (continue, change the grade, leave the list) is a move of the case (assistance.ts).
 */
import type { Ctx } from '../../context';
import { asDate } from '../../lib/time';
import { sendNotice } from '../notices';
import { assistanceSettings, reviewReminderDue } from './assistance-rules';

export async function remindReviews(ctx: Ctx) {
  const today = ctx.today();
  const lead = assistanceSettings(ctx).reviewLeadDays;
  const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + lead * 86_400_000).toISOString().slice(0, 10);
  const rows: Array<{ id: number; handler_id: string; on_list: unknown; review_due_on: unknown; review_reminded_for: unknown }> = await ctx
    .db('union_assistance_cases')
    .where({ on_list: true })
    .where('review_due_on', '<=', horizon)
    .select('id', 'handler_id', 'on_list', 'review_due_on', 'review_reminded_for');
  const byHandler = new Map<string, { ids: number[]; first: string }>();
  for (const r of rows) {
    const due = asDate(r.review_due_on)!;
    if (
      !reviewReminderDue(
        { on_list: Boolean(r.on_list), review_due_on: due, review_reminded_for: asDate(r.review_reminded_for) },
        today,
        lead,
      )
    )
      continue;
    // Conditional: a second run (or instance) that read the same row tells nobody again.
    const won = await ctx
      .db('union_assistance_cases')
      .where({ id: r.id })
      .where((w) => w.whereNull('review_reminded_for').orWhereNot('review_reminded_for', due))
      .update({ review_reminded_for: due });
    if (!won) continue;
    const entry = byHandler.get(r.handler_id) ?? { ids: [], first: due };
    entry.ids.push(r.id);
    if (due < entry.first) entry.first = due;
    byHandler.set(r.handler_id, entry);
  }
  let reminded = 0;
  for (const [handler, e] of byHandler) {
    await sendNotice(ctx, {
      to: [handler],
      template: 'union.assistance.review',
      key: 'assistance.notify.reviewDue',
      vars: { count: e.ids.length, date: e.first },
      link: '/union/assistance/inbox',
    });
    reminded += e.ids.length;
  }
  return { today, reminded, handlers: byHandler.size };
}
