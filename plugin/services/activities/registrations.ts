import type { Actor, Ctx, Trx } from '../../context';
import { Conflict, Forbidden, Invalid, NotFound, UnionError } from '../../errors';
import { inTransaction, isUniqueViolation } from '../../lib/db';
import { fromSqlDateTime } from '../../lib/time';
import { writeAudit } from '../audit';
import { inAudience, audienceOf } from './audience';
import { fillPlaces, lockActivity, movePlace, optionIdsOf, placeFits, saveCounters, type Locked } from './places';
import { notifyPlaces, type PlaceChange } from './notices';
import { presentRegistration, type RegistrationRow } from './presenter';
import { registrationOpen } from './rules';

export class DeadlinePassed extends UnionError {
  constructor() {
    super(422, 'deadline_passed', 'The registration deadline has passed');
  }
}

function assertOpen(ctx: Ctx, l: Locked): void {
  const open = registrationOpen(
    { status: l.activity.status, registrationDeadline: fromSqlDateTime(l.activity.registration_deadline)! },
    ctx.now(),
  );
  if (open === 'deadline_passed') throw new DeadlinePassed();
  if (open === 'closed') throw new Conflict(`The activity is ${l.activity.status}`);
}

function chosenOptions(l: Locked, requested: number[] | undefined): number[] {
  const chosen = [...new Set(requested ?? [])].sort((a, b) => a - b);
  const unknown = chosen.filter((id) => !l.options.has(id));
  if (unknown.length) throw Invalid.field('body.options', `${unknown.join(', ')} are not options of this activity`);
  if (l.options.size && !chosen.length) throw Invalid.field('body.options', 'must name at least one option');
  if (l.activity.option_limit !== null && chosen.length > l.activity.option_limit)
    throw Invalid.field('body.options', `at most ${l.activity.option_limit} options per person`);
  return chosen;
}

async function positionOf(trx: Trx, activityId: number, seq: number): Promise<number> {
  const row = await trx('union_activity_registrations')
    .where({ activity_id: activityId, status: 'waitlisted' })
    .andWhere('waitlist_seq', '<=', seq)
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

export type RegisterOutcome = { status: 'registered'; position: null } | { status: 'waitlisted'; position: number };

/**
 * 报名: in one transaction, lock the activity's and its options' counter rows, check the deadline,
 * the audience, the person's earlier registration and the places left, then register or put the
 * person at the end of the waitlist. The unique key (activity, person) backs the check.
 */
export async function register(
  ctx: Ctx,
  actor: Actor,
  activityId: number,
  employeeId: string,
  options?: number[],
): Promise<RegisterOutcome> {
  try {
    return await inTransaction(ctx.db, async (trx) => {
      // Read before the lock, so the lock is held for less: whether the activity has options to lock (they
      // change only while it is a draft, when nobody can register) and whether the person has a row already
      // (if not, the unique key refuses a concurrent second insert; if so, it is read again under the lock).
      const hasOptions = !!(await trx('union_activity_options').where({ activity_id: activityId }).first('id'));
      const prior = await trx('union_activity_registrations')
        .where({ activity_id: activityId, employee_id: employeeId })
        .first('id', 'status');
      if (prior && prior.status !== 'cancelled')
        throw new Conflict(`You are already ${prior.status} for this activity`, [{ path: 'status', message: prior.status }]);
      const l = await lockActivity(trx, activityId, { options: hasOptions });
      assertOpen(ctx, l);
      const chosen = chosenOptions(l, options);
      // Read after the lock: an exit that released this person's places has either committed (and is seen) or waits for us.
      if (!(await inAudience(ctx, trx, audienceOf(l.activity), employeeId))) throw new Forbidden('This activity is not open to you');
      const existing = prior
        ? await trx('union_activity_registrations').where({ activity_id: activityId, employee_id: employeeId }).first('id', 'status')
        : undefined;
      if (existing && existing.status !== 'cancelled')
        throw new Conflict(`You are already ${existing.status} for this activity`, [{ path: 'status', message: existing.status }]);
      const now = ctx.nowSql();
      let row: Record<string, unknown>;
      if (placeFits(l, chosen)) {
        movePlace(l, chosen, 1);
        row = { status: 'registered', registered_at: now, waitlist_seq: null };
      } else {
        l.activity.waitlist_seq += 1;
        await trx('union_activities').where({ id: activityId }).update({ waitlist_seq: l.activity.waitlist_seq });
        row = { status: 'waitlisted', registered_at: null, waitlist_seq: l.activity.waitlist_seq };
      }
      const fields = {
        ...row,
        option_ids: JSON.stringify(chosen),
        created_at: now,
        offer_expires_at: null,
        cancelled_at: null,
        cancel_reason: null,
        checked_in_at: null,
        reminded_at: null,
        reminder_run: null,
      };
      if (existing) await trx('union_activity_registrations').where({ id: existing.id }).update(fields);
      else await trx('union_activity_registrations').insert({ activity_id: activityId, employee_id: employeeId, ...fields });
      await saveCounters(trx, l);
      await writeAudit(ctx, trx, actor, {
        action: 'activity.register',
        entity: 'activity_registration',
        entityId: `${activityId}:${employeeId}`,
        before: existing ? { status: existing.status } : undefined,
        after: { status: row.status, options: chosen, waitlistSeq: row.waitlist_seq },
      });
      if (row.status === 'registered') return { status: 'registered', position: null } as const;
      return { status: 'waitlisted', position: await positionOf(trx, activityId, l.activity.waitlist_seq) } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('You are already registered for this activity');
    throw err;
  }
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
