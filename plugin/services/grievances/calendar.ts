import type { Actor, Ctx } from '../../context';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { asDate } from '../../lib/time';
import { unknownYears, type DayKind } from '../../lib/workdays';
import { writeAudit } from '../audit';

/** The administrators' days: company holidays and working days, and next year's notice before the package has it. */
export async function setCalendarDay(ctx: Ctx, actor: Actor, input: { date: string; kind: DayKind | 'official'; note?: string }) {
  await inTransaction(ctx.db, async (trx) => {
    const before = await lockForUpdate(trx, trx('union_calendar_days').where({ date: input.date }).first());
    if (input.kind === 'official') await trx('union_calendar_days').where({ date: input.date }).delete();
    else
      await trx('union_calendar_days')
        .insert({ date: input.date, kind: input.kind, note: input.note ?? null, updated_by: actor.id, updated_at: ctx.nowSql() })
        .onConflict('date')
        .merge(['kind', 'note', 'updated_by', 'updated_at']);
    await writeAudit(ctx, trx, actor, {
      action: 'calendar.day.set',
      entity: 'calendar_day',
      entityId: input.date,
      before: before ? { kind: before.kind } : { kind: 'official' },
      after: { kind: input.kind },
    });
  });
  return listCalendarDays(ctx);
}

export async function listCalendarDays(ctx: Ctx) {
  const rows = await ctx.db('union_calendar_days').orderBy('date').select('date', 'kind', 'note');
  return {
    days: rows.map((r: { date: unknown; kind: DayKind; note: string | null }) => ({ date: asDate(r.date), kind: r.kind, note: r.note })),
    unknownYears: await unknownYears(ctx.db, ctx.today()),
  };
}
