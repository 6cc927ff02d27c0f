/**
 * 报名 for one activity, several people at a time: one transaction locks the activity's counter row and
 * its options' once, decides each sign-up in the order given exactly as it would be decided alone
 * (against the counters and rows the earlier ones left), writes the accepted ones with a few statements
 * and commits once. A refused sign-up writes nothing and fails nobody else. The unique key (activity,
 * person) backs the check of earlier registrations.
 */
import type { Actor, Ctx, Trx } from '../../context';
import { Conflict, Forbidden, Invalid, NotFound, UnionError } from '../../errors';
import { chunks, inTransaction } from '../../lib/db';
import { fromSqlDateTime } from '../../lib/time';
import { writeAuditMany, type AuditEntry } from '../audit';
import { audienceOf, inAudienceOf } from './audience';
import { lockActivity, movePlace, placeFits, saveCounters, type Locked } from './places';
import { registrationOpen } from './rules';

export class DeadlinePassed extends UnionError {
  constructor() {
    super(422, 'deadline_passed', 'The registration deadline has passed');
  }
}

export function assertOpen(ctx: Ctx, l: Locked): void {
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

export async function positionOf(trx: Trx, activityId: number, seq: number): Promise<number> {
  const row = await trx('union_activity_registrations')
    .where({ activity_id: activityId, status: 'waitlisted' })
    .andWhere('waitlist_seq', '<=', seq)
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

export type RegisterOutcome = { status: 'registered'; position: null } | { status: 'waitlisted'; position: number };
export interface SignUp {
  actor: Actor;
  employeeId: string;
  options?: number[];
}
/** Each sign-up's answer: its outcome, or the error it alone would have been refused with. */
export type SignUpResult = { outcome: RegisterOutcome } | { error: UnionError };

/** A person's row as the batch has left it so far (id null: inserted by this batch). */
interface Held {
  id: number | null;
  status: string;
}
interface Accepted {
  signUp: SignUp;
  status: 'registered' | 'waitlisted';
  chosen: number[];
  seq: number | null;
  before: Held | undefined;
}

/**
 * Registers the sign-ups in the order given and returns each one's result in that order, after the
 * commit. Throws only when the transaction as a whole fails (then nothing of it was written).
 */
export async function registerBatch(ctx: Ctx, activityId: number, signUps: SignUp[]): Promise<SignUpResult[]> {
  return inTransaction(ctx.db, async (trx) => {
    // Whether the activity has options to lock is read before the lock: they change only while it is a draft.
    const hasOptions = !!(await trx('union_activity_options').where({ activity_id: activityId }).first('id'));
    let l: Locked;
    try {
      l = await lockActivity(trx, activityId, { options: hasOptions });
    } catch (err) {
      if (err instanceof NotFound) return signUps.map(() => ({ error: err }));
      throw err;
    }
    // Read under the lock: every writer of this activity's registrations holds it, so these rows are final
    // until we commit (an exit that released someone's places has committed and is seen, or waits for us).
    const people = [...new Set(signUps.map((s) => s.employeeId))];
    const held = await heldRows(trx, activityId, people);
    const audience = await inAudienceOf(ctx, trx, audienceOf(l.activity), people);
    const firstSeq = l.activity.waitlist_seq;

    const results: Array<SignUpResult | Accepted> = signUps.map((s) => {
      try {
        return decide(ctx, l, held, audience, s);
      } catch (err) {
        if (err instanceof UnionError) return { error: err };
        throw err;
      }
    });
    const accepted = results.filter((r): r is Accepted => 'signUp' in r);
    if (!accepted.length) return results as SignUpResult[];

    await writeRows(ctx, trx, activityId, accepted);
    if (l.activity.waitlist_seq !== firstSeq) {
      await trx('union_activities').where({ id: activityId }).update({ taken: l.activity.taken, waitlist_seq: l.activity.waitlist_seq });
      l.dirty.delete('activity');
    }
    await saveCounters(trx, l);
    await writeAuditMany(ctx, trx, accepted[0].signUp.actor, accepted.map(auditOf(activityId)));
    // Every earlier ticket is below this batch's first: each of ours is that many plus its place among ours.
    const ahead = accepted.some((a) => a.status === 'waitlisted') ? await positionOf(trx, activityId, firstSeq) : 0;
    return results.map((r) => {
      if (!('signUp' in r)) return r;
      if (r.status === 'registered') return { outcome: { status: 'registered', position: null } };
      return { outcome: { status: 'waitlisted', position: ahead + r.seq! - firstSeq } };
    });
  });
}

async function heldRows(trx: Trx, activityId: number, people: string[]): Promise<Map<string, Held>> {
  const held = new Map<string, Held>();
  for (const ids of chunks(people, 1000)) {
    const rows = (await trx('union_activity_registrations')
      .where({ activity_id: activityId })
      .whereIn('employee_id', ids)
      .select('id', 'employee_id', 'status')) as Array<{ id: number; employee_id: string; status: string }>;
    for (const r of rows) held.set(r.employee_id, { id: r.id, status: r.status });
  }
  return held;
}

/** One sign-up, against the counters and rows as the ones before it left them: the checks in the order a lone sign-up meets them. */
function decide(ctx: Ctx, l: Locked, held: Map<string, Held>, audience: Set<string>, signUp: SignUp): Accepted {
  const before = held.get(signUp.employeeId);
  if (before && before.status !== 'cancelled')
    throw new Conflict(`You are already ${before.status} for this activity`, [{ path: 'status', message: before.status }]);
  assertOpen(ctx, l);
  const chosen = chosenOptions(l, signUp.options);
  if (!audience.has(signUp.employeeId)) throw new Forbidden('This activity is not open to you');
  let seq: number | null = null;
  if (placeFits(l, chosen)) movePlace(l, chosen, 1);
  else seq = l.activity.waitlist_seq += 1;
  const status = seq === null ? 'registered' : 'waitlisted';
  held.set(signUp.employeeId, { id: before?.id ?? null, status });
  return { signUp, status, chosen, seq, before };
}

/** New people in multi-row inserts; someone who had cancelled gets their old row back (rare: one update each). */
async function writeRows(ctx: Ctx, trx: Trx, activityId: number, accepted: Accepted[]): Promise<void> {
  const now = ctx.nowSql();
  const fields = (a: Accepted) => ({
    status: a.status,
    registered_at: a.status === 'registered' ? now : null,
    waitlist_seq: a.seq,
    option_ids: JSON.stringify(a.chosen),
    created_at: now,
    offer_expires_at: null,
    cancelled_at: null,
    cancel_reason: null,
    checked_in_at: null,
    reminded_at: null,
    reminder_run: null,
  });
  const fresh = accepted.filter((a) => !a.before);
  for (const part of chunks(fresh, 250))
    await trx('union_activity_registrations').insert(
      part.map((a) => ({ activity_id: activityId, employee_id: a.signUp.employeeId, ...fields(a) })),
    );
  for (const a of accepted.filter((x) => x.before))
    await trx('union_activity_registrations').where({ id: a.before!.id! }).update(fields(a));
}

const auditOf =
  (activityId: number) =>
  (a: Accepted): AuditEntry => ({
    action: 'activity.register',
    entity: 'activity_registration',
    entityId: `${activityId}:${a.signUp.employeeId}`,
    actor: a.signUp.actor,
    before: a.before ? { status: a.before.status } : undefined,
    after: { status: a.status, options: a.chosen, waitlistSeq: a.seq },
  });
