import type { Ctx, Trx } from '../../context';
import { NotFound } from '../../errors';
import { lockForUpdate } from '../../lib/db';
import { fromSqlDateTime, sqlDateTime } from '../../lib/time';
import { fits } from './rules';
import { activitySettings } from './settings';
import type { ActivityRow, OptionRow, RegistrationRow } from './presenter';
import type { PlaceChange } from './notices';

/**
 * The activity's counters, locked for the rest of the transaction. Every writer that takes or frees a
 * place locks the activity row first and then its option rows in id order, so writers queue instead
 * of deadlocking, and what they count is what the next one sees.
 */
export interface Locked {
  activity: ActivityRow;
  options: Map<number, OptionRow>;
  /** Counter rows changed in memory, written back by saveCounters. */
  dirty: Set<'activity' | number>;
}

export async function lockActivity(trx: Trx, activityId: number, opts: { options?: boolean } = {}): Promise<Locked> {
  const activity = (await lockForUpdate(trx, trx('union_activities').where({ id: activityId }).first())) as ActivityRow | undefined;
  if (!activity) throw new NotFound('No such activity');
  if (opts.options === false) return { activity, options: new Map(), dirty: new Set() };
  const options = (await lockForUpdate(
    trx,
    trx('union_activity_options').where({ activity_id: activityId }).orderBy('id').select(),
  )) as OptionRow[];
  return { activity, options: new Map(options.map((o) => [o.id, o])), dirty: new Set() };
}

export function optionIdsOf(r: Pick<RegistrationRow, 'option_ids'>): number[] {
  return JSON.parse(r.option_ids) as number[];
}

function counters(l: Locked, optionIds: number[]) {
  return [l.activity, ...optionIds.map((id) => l.options.get(id)).filter((o): o is OptionRow => !!o)];
}

export function placeFits(l: Locked, optionIds: number[]): boolean {
  return fits(counters(l, optionIds));
}

/** Takes (+1) or frees (-1) one place on the activity and each chosen option. */
export function movePlace(l: Locked, optionIds: number[], delta: 1 | -1): void {
  l.activity.taken += delta;
  l.dirty.add('activity');
  for (const id of optionIds) {
    const o = l.options.get(id);
    if (!o) continue;
    o.taken += delta;
    l.dirty.add(id);
  }
}

export async function saveCounters(trx: Trx, l: Locked): Promise<void> {
  for (const key of l.dirty) {
    if (key === 'activity') await trx('union_activities').where({ id: l.activity.id }).update({ taken: l.activity.taken });
    else
      await trx('union_activity_options')
        .where({ id: key })
        .update({ taken: l.options.get(key)!.taken });
  }
  l.dirty.clear();
}

/**
 * Gives freed places to the waitlist in arrival order: the first waiting person whose options all
 * have room is registered (promote mode) or offered the place for offerHours (offer mode; the offer
 * holds the place until it is confirmed or expires). Runs under the activity's lock, so each freed
 * place goes to exactly one person. Nobody is promoted once the activity has started.
 */
export async function fillPlaces(ctx: Ctx, trx: Trx, l: Locked): Promise<PlaceChange[]> {
  const now = ctx.now();
  if (l.activity.status !== 'published' || fromSqlDateTime(l.activity.start_at)!.getTime() <= now.getTime()) return [];
  if (!placeFits(l, [])) return [];
  const { waitlistMode, offerHours } = activitySettings(ctx);
  const waiting = (await trx('union_activity_registrations')
    .where({ activity_id: l.activity.id, status: 'waitlisted' })
    .orderBy('waitlist_seq')
    .select('id', 'employee_id', 'option_ids')) as Array<Pick<RegistrationRow, 'id' | 'employee_id' | 'option_ids'>>;
  const changes: PlaceChange[] = [];
  for (const w of waiting) {
    if (!placeFits(l, [])) break;
    const options = optionIdsOf(w);
    if (!placeFits(l, options)) continue;
    movePlace(l, options, 1);
    const expiresAt = waitlistMode === 'offer' ? new Date(now.getTime() + offerHours * 3600_000) : undefined;
    await trx('union_activity_registrations')
      .where({ id: w.id })
      .update(
        expiresAt
          ? { status: 'offered', offer_expires_at: sqlDateTime(expiresAt) }
          : { status: 'registered', registered_at: ctx.nowSql(), offer_expires_at: null },
      );
    changes.push({
      activityId: l.activity.id,
      employeeId: w.employee_id,
      kind: expiresAt ? 'offered' : 'registered',
      title: l.activity.title,
      startAt: fromSqlDateTime(l.activity.start_at)!.toISOString(),
      location: l.activity.location,
      expiresAt: expiresAt?.toISOString(),
    });
  }
  await saveCounters(trx, l);
  return changes;
}
