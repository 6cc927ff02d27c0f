import type { Actor, Ctx, Trx } from '../../context';
import { Conflict, NotFound } from '../../errors';
import { inTransaction } from '../../lib/db';
import { fromSqlDateTime } from '../../lib/time';
import { writeAudit } from '../audit';
import { fillPlaces, lockActivity, movePlace, optionIdsOf, saveCounters, type Locked } from './places';
import { notifyPlaces, type PlaceChange } from './notices';
import { presentRegistration, type RegistrationRow } from './presenter';
import { signUpQueue } from './signup-queue';
import { assertOpen, positionOf, type RegisterOutcome } from './signups';

export type { RegisterOutcome } from './signups';

/**
 * 报名: register the person, or put them at the end of the waitlist. Sign-ups for one activity are
 * decided in batches (signup-queue.ts, signups.ts): each in arrival order, under the activity's lock,
 * exactly as alone; the answer comes once its batch has committed.
 */
export function register(ctx: Ctx, actor: Actor, activityId: number, employeeId: string, options?: number[]): Promise<RegisterOutcome> {
  return signUpQueue(ctx).submit(activityId, { actor, employeeId, options });
}

/** Frees the places of these registrations (in the caller's transaction and under the activity's lock), then fills them from the waitlist. */
export async function release(ctx: Ctx, trx: Trx, l: Locked, rows: RegistrationRow[], reason: string): Promise<PlaceChange[]> {
  for (const r of rows) {
    if (r.status === 'registered' || r.status === 'offered') movePlace(l, optionIdsOf(r), -1);
    await trx('union_activity_registrations')
      .where({ id: r.id })
      .update({ status: 'cancelled', cancelled_at: ctx.nowSql(), cancel_reason: reason, offer_expires_at: null, waitlist_seq: null });
  }
  await saveCounters(trx, l);
  return fillPlaces(ctx, trx, l);
}

/** The caller cancels their registration, waitlist place or offer before the deadline; a freed place goes to the next in line. */
export async function cancelMine(ctx: Ctx, actor: Actor, activityId: number, employeeId: string) {
  const changes = await inTransaction(ctx.db, async (trx) => {
    const l = await lockActivity(trx, activityId);
    const r = (await trx('union_activity_registrations').where({ activity_id: activityId, employee_id: employeeId }).first()) as
      RegistrationRow | undefined;
    if (!r || r.status === 'cancelled') throw new NotFound('You are not registered for this activity');
    // An offer may be declined until it expires; a place or waitlist ticket may be given up until the deadline.
    if (r.status !== 'offered') assertOpen(ctx, l);
    if (r.checked_in_at) throw new Conflict('You have already checked in');
    const changes = await release(ctx, trx, l, [r], 'self');
    await writeAudit(ctx, trx, actor, {
      action: 'activity.unregister',
      entity: 'activity_registration',
      entityId: `${activityId}:${employeeId}`,
      before: { status: r.status },
      after: { status: 'cancelled', promoted: changes.map((c) => c.employeeId) },
    });
    return changes;
  });
  await notifyPlaces(ctx, changes);
  return { status: 'cancelled' as const, promoted: changes.length };
}

/** Accepts an offered place before it expires. */
export async function confirmOffer(ctx: Ctx, actor: Actor, activityId: number, employeeId: string) {
  await inTransaction(ctx.db, async (trx) => {
    await lockActivity(trx, activityId);
    const r = (await trx('union_activity_registrations').where({ activity_id: activityId, employee_id: employeeId }).first()) as
      RegistrationRow | undefined;
    if (!r || r.status !== 'offered') throw new Conflict('You have no open offer for this activity');
    if (fromSqlDateTime(r.offer_expires_at)!.getTime() <= ctx.now().getTime()) throw new Conflict('The offer has expired');
    await trx('union_activity_registrations')
      .where({ id: r.id })
      .update({ status: 'registered', registered_at: ctx.nowSql(), offer_expires_at: null });
    await writeAudit(ctx, trx, actor, {
      action: 'activity.confirm_offer',
      entity: 'activity_registration',
      entityId: `${activityId}:${employeeId}`,
      before: { status: 'offered' },
      after: { status: 'registered' },
    });
  });
  return { status: 'registered' as const };
}

export async function myRegistration(ctx: Ctx, activityId: number, employeeId: string) {
  const r = (await ctx.db('union_activity_registrations').where({ activity_id: activityId, employee_id: employeeId }).first()) as
    RegistrationRow | undefined;
  if (!r) throw new NotFound('You are not registered for this activity');
  const position =
    r.status === 'waitlisted' && r.waitlist_seq !== null ? await positionOf(ctx.db as unknown as Trx, activityId, r.waitlist_seq) : null;
  return presentRegistration(r, position);
}

/** Offers not confirmed in time pass to the next person in line; one transaction per activity. */
export async function expireOffers(ctx: Ctx, actor: Actor): Promise<{ expired: number; passedOn: number }> {
  const due = (await ctx
    .db('union_activity_registrations')
    .where({ status: 'offered' })
    .andWhere('offer_expires_at', '<=', ctx.nowSql())
    .distinct('activity_id')
    .orderBy('activity_id')) as Array<{ activity_id: number }>;
  let expired = 0;
  let passedOn = 0;
  for (const { activity_id: activityId } of due) {
    const { changes, count } = await inTransaction(ctx.db, async (trx) => {
      const l = await lockActivity(trx, activityId);
      const rows = (await trx('union_activity_registrations')
        .where({ activity_id: activityId, status: 'offered' })
        .andWhere('offer_expires_at', '<=', ctx.nowSql())
        .select()) as RegistrationRow[];
      const changes = await release(ctx, trx, l, rows, 'offer_expired');
      await writeAudit(ctx, trx, actor, {
        action: 'activity.offers_expired',
        entity: 'activity',
        entityId: activityId,
        before: rows.map((r) => r.employee_id),
        after: { offered: changes.map((c) => c.employeeId) },
      });
      return { changes, count: rows.length };
    });
    expired += count;
    passedOn += changes.length;
    await notifyPlaces(ctx, changes);
  }
  return { expired, passedOn };
}

/** Published activities whose end has passed become finished, in one guarded UPDATE with one audit row. */
export async function finishPast(ctx: Ctx, actor: Actor): Promise<number> {
  return inTransaction(ctx.db, async (trx) => {
    const ids = (await trx('union_activities')
      .where({ status: 'published' })
      .andWhere('end_at', '<=', ctx.nowSql())
      .pluck('id')) as number[];
    if (!ids.length) return 0;
    const n = await trx('union_activities')
      .whereIn('id', ids)
      .andWhere({ status: 'published' })
      .update({ status: 'finished', updated_at: ctx.nowSql() });
    await writeAudit(ctx, trx, actor, {
      action: 'activity.finish',
      entity: 'activities',
      entityId: ids.join(','),
      after: { status: 'finished' },
    });
    return n;
  });
}
