import type { Subscriber } from '../../areas/types';
import type { Actor, Ctx, Trx } from '../../context';
import type { HostEvent } from '../../host';
import type { Knex } from 'knex';
import { chunks, inTransaction } from '../../lib/db';
import { errorShape } from '../../lib/log-safe';
import { asDate } from '../../lib/time';
import { writeAuditMany } from '../audit';
import { notifyPlaces, type PlaceChange } from './notices';
import { lockActivity } from './places';
import type { RegistrationRow } from './presenter';
import { release } from './registrations';

const HELD = ['registered', 'waitlisted', 'offered'];

/** Whose places to give up: `left` people lose every place; the others only those that need a membership. */
export interface Leaver {
  employeeId: string;
  left: boolean;
}

/** The places and tickets these people hold in activities not yet started (read without locks; writers read again under the lock). */
async function heldPlaces(ctx: Ctx, db: Knex, people: Leaver[]): Promise<Array<{ activity_id: number; employee_id: string }>> {
  const left = new Set(people.filter((p) => p.left).map((p) => p.employeeId));
  const others = people.filter((p) => !p.left && !left.has(p.employeeId)).map((p) => p.employeeId);
  return db('union_activity_registrations as r')
    .join('union_activities as a', 'a.id', 'r.activity_id')
    .whereIn('r.status', HELD)
    .whereIn('a.status', ['draft', 'published'])
    .andWhere('a.start_at', '>', ctx.nowSql())
    .andWhere((q) => {
      if (left.size) q.orWhereIn('r.employee_id', [...left]);
      // Audiences of everyone employed or of service groups do not ask for a membership.
      if (others.length) q.orWhere((o) => o.whereIn('r.employee_id', others).whereNotIn('a.audience_kind', ['employed', 'groups']));
    })
    .select('r.activity_id', 'r.employee_id');
}

/**
 * Releases the places and waitlist tickets of these people for activities not yet started, in the
 * caller's transaction: one activity at a time, each under its lock (in id order, as every writer
 * takes them), and the waitlist is promoted into what was freed. Someone who has left employment
 * loses all of them; someone who is only no longer a member keeps those of activities open to
 * everyone employed or to service groups. Releasing what is already released changes nothing and writes nothing, so a
 * repeated or concurrent exit is harmless.
 */
export async function releaseForExit(
  ctx: Ctx,
  trx: Trx,
  people: Leaver[],
  /** Who caused a person's release (each exit event its own; a job or a writer one for all). */
  actorFor: (employeeId: string) => Actor,
): Promise<PlaceChange[]> {
  if (!people.length) return [];
  const left = new Set(people.filter((p) => p.left).map((p) => p.employeeId));
  const held = await heldPlaces(ctx, trx, people);
  const byActivity = new Map<number, string[]>();
  for (const h of held) byActivity.set(h.activity_id, [...(byActivity.get(h.activity_id) ?? []), h.employee_id]);

  const changes: PlaceChange[] = [];
  for (const activityId of [...byActivity.keys()].sort((x, y) => x - y)) {
    const l = await lockActivity(trx, activityId);
    // Read again under the lock: a concurrent exit or cancellation may have released them already.
    const rows = (await trx('union_activity_registrations')
      .where({ activity_id: activityId })
      .whereIn('employee_id', byActivity.get(activityId)!)
      .whereIn('status', HELD)
      .select()) as RegistrationRow[];
    if (!rows.length) continue;
    const gone = rows.filter((r) => left.has(r.employee_id));
    const lapsed = rows.filter((r) => !left.has(r.employee_id));
    const promoted = [
      ...(gone.length ? await release(ctx, trx, l, gone, 'exited') : []),
      ...(lapsed.length ? await release(ctx, trx, l, lapsed, 'not_member') : []),
    ];
    // One audit row per cause (a batch of exits has one per event), each saying whom the release promoted.
    const causes = new Map<string, { actor: Actor; rows: RegistrationRow[] }>();
    for (const r of rows) {
      const cause = actorFor(r.employee_id);
      (causes.get(cause.id) ?? causes.set(cause.id, { actor: cause, rows: [] }).get(cause.id)!).rows.push(r);
    }
    await writeAuditMany(
      ctx,
      trx,
      causes.values().next().value!.actor,
      [...causes.values()].map((c) => ({
        action: 'activity.release_on_exit',
        entity: 'activity',
        entityId: activityId,
        before: c.rows.map((r) => ({ employeeId: r.employee_id, status: r.status })),
        after: { promoted: promoted.map((p) => p.employeeId) },
        actor: c.actor,
      })),
    );
    changes.push(...promoted);
  }
  return changes;
}

/** Notices go out only once the transaction that promoted people has committed. */
function notifyAfterCommit(ctx: Ctx, trx: Trx, changes: PlaceChange[]): void {
  if (!changes.length) return;
  trx.executionPromise.then(
    () => notifyPlaces(ctx, changes),
    () => undefined,
  );
}

/**
 * A membership that ends (expired, retained, withdrawn) releases places inside the membership
 * writer's transaction. Whether the person also left employment is read from the facts that
 * transaction has just written.
 */
export const releasePlacesOnExit: Subscriber = {
  name: 'activities.releaseOnExit',
  on: ['membership.expired', 'membership.retained', 'membership.withdrew'],
  phase: 'inTransaction',
  async handle(ctx, events, tx) {
    if (!tx) return;
    const ids = [...new Set(events.map((e) => ('employeeId' in e ? e.employeeId : '')).filter(Boolean))];
    const today = ctx.today();
    const exits = new Map<string, string | null>();
    for (const batch of chunks(ids, 1000))
      for (const f of await tx.trx('union_employees').whereIn('employee_id', batch).select('employee_id', 'exit_date'))
        exits.set(f.employee_id, asDate(f.exit_date));
    const people = ids.map((employeeId) => {
      const exit = exits.get(employeeId);
      return { employeeId, left: !!exit && exit <= today };
    });
    notifyAfterCommit(ctx, tx.trx, await releaseForExit(ctx, tx.trx, people, tx.actorFor));
  },
};

/**
 * The host's exit event, followed directly: people who are not members (registered for an activity
 * open to everyone employed) have no membership to expire, so nothing else would free their places.
 * The host's record as it stands now decides, not the event: a repeated or late exit that arrives
 * after a re-hire finds the person employed and changes nothing; an exit dated later takes effect
 * on its day through the sweep below.
 */
export async function onHostExit(ctx: Ctx, event: HostEvent): Promise<void> {
  await onHostExits(ctx, [event]);
}

/** A batch of the host's events (a webhook batch): the exits among them, in one transaction, each under its own actor. */
export async function onHostExits(ctx: Ctx, events: HostEvent[]): Promise<void> {
  const exits = events.filter((e) => e?.type === 'employee.exited' && typeof e.data?.employeeId === 'string');
  if (!exits.length) return;
  try {
    const today = ctx.today();
    const records = await ctx.host.employees.getMany([...new Set(exits.map((e) => e.data.employeeId))]);
    const gone = new Set(records.filter((r) => r.exitDate && r.exitDate <= today).map((r) => r.id));
    const leaving = exits.filter((e) => gone.has(e.data.employeeId));
    if (!leaving.length) return;
    const causeOf = new Map(leaving.map((e) => [e.data.employeeId, { id: `event:${String(e.id).slice(0, 100)}`, kind: 'event' } as Actor]));
    const people = [...causeOf.keys()].map((employeeId) => ({ employeeId, left: true }));
    // Most leavers hold no place: a plain read says so without a transaction.
    if (!(await heldPlaces(ctx, ctx.db, people)).length) return;
    const changes = await inTransaction(ctx.db, (trx) => releaseForExit(ctx, trx, people, (id) => causeOf.get(id)!));
    await notifyPlaces(ctx, changes);
  } catch (err) {
    ctx.host.logger.error(
      { err: errorShape(err), eventId: String(exits[0].id).slice(0, 128), events: exits.length },
      'union: activity places of a leaver could not be released; the activities job retries',
    );
  }
}

/**
 * The safety net: whoever the module's employment facts show as gone by today (an exit that came by
 * webhook or reconciliation, an exit dated in the future whose day has come, a handler that failed)
 * loses the places still held. One set-based query finds them; each batch is one transaction.
 */
export async function releaseLeavers(ctx: Ctx, actor: Actor): Promise<number> {
  const ids = (await ctx
    .db('union_activity_registrations as r')
    .join('union_activities as a', 'a.id', 'r.activity_id')
    .join('union_employees as e', 'e.employee_id', 'r.employee_id')
    .whereIn('r.status', HELD)
    .whereIn('a.status', ['draft', 'published'])
    .andWhere('a.start_at', '>', ctx.nowSql())
    .andWhere('e.exit_date', '<=', ctx.today())
    .distinct('r.employee_id')
    .pluck('r.employee_id')) as string[];
  for (const batch of chunks(ids, 200)) {
    const changes = await inTransaction(ctx.db, (trx) =>
      releaseForExit(
        ctx,
        trx,
        batch.map((employeeId) => ({ employeeId, left: true })),
        () => actor,
      ),
    );
    await notifyPlaces(ctx, changes);
  }
  return ids.length;
}
