import type { Actor, Ctx } from '../../context';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { qrcode } from '../../lib/heavy';
import { fromSqlDateTime } from '../../lib/time';
import { writeAudit } from '../audit';
import { CHECKIN_EARLY_MS, inCheckinWindow } from './rules';
import { readClaim, signClaim } from './tokens';
import type { ActivityRow, RegistrationRow } from './presenter';

export type CheckinMethod = 'roster' | 'venue' | 'personal';

const windowOf = (a: Pick<ActivityRow, 'start_at' | 'end_at'>) => ({
  startAt: fromSqlDateTime(a.start_at)!,
  endAt: fromSqlDateTime(a.end_at)!,
});

/**
 * 签到: marks a registered person as attended. A second check-in changes nothing (and says so). Staff
 * at the roster may record it from an hour before the start onwards; the codes work only in the window.
 */
export async function checkIn(ctx: Ctx, actor: Actor, activityId: number, employeeId: string, method: CheckinMethod) {
  return inTransaction(ctx.db, async (trx) => {
    const a = (await trx('union_activities').where({ id: activityId }).first()) as ActivityRow | undefined;
    if (!a || a.status === 'draft') throw new NotFound('No such activity');
    if (a.status === 'cancelled') throw new Conflict('The activity is cancelled');
    const w = windowOf(a);
    const now = ctx.now();
    const open = method === 'roster' ? now.getTime() >= w.startAt.getTime() - CHECKIN_EARLY_MS : inCheckinWindow(w, now);
    if (!open) throw new Conflict('Check-in is open only during the activity', [{ path: 'time', message: 'outside the check-in window' }]);
    const r = (await lockForUpdate(
      trx,
      trx('union_activity_registrations').where({ activity_id: activityId, employee_id: employeeId }).first(),
    )) as RegistrationRow | undefined;
    if (!r || r.status !== 'registered')
      throw new Conflict('This person is not registered for the activity', [{ path: 'employeeId', message: 'is not registered' }]);
    if (r.checked_in_at) return { employeeId, checkedInAt: fromSqlDateTime(r.checked_in_at)!.toISOString(), already: true };
    const at = ctx.nowSql();
    await trx('union_activity_registrations')
      .where({ id: r.id })
      .update({ checked_in_at: at, checkin_method: method, checked_in_by: actor.id });
    await writeAudit(ctx, trx, actor, {
      action: 'activity.checkin',
      entity: 'activity_registration',
      entityId: `${activityId}:${employeeId}`,
      after: { method },
    });
    return { employeeId, checkedInAt: fromSqlDateTime(at)!.toISOString(), already: false };
  });
}

/** The venue's code for an activity: valid from an hour before the start to the end. */
export async function venueCode(ctx: Ctx, activityId: number): Promise<string> {
  const a = await ctx.db('union_activities').where({ id: activityId }).first('start_at', 'end_at');
  if (!a) throw new NotFound('No such activity');
  const w = windowOf(a);
  return signClaim(ctx, { k: 'venue', a: activityId, nbf: w.startAt.getTime() - CHECKIN_EARLY_MS, exp: w.endAt.getTime() });
}

export async function personalCode(ctx: Ctx, activityId: number, employeeId: string): Promise<string> {
  return signClaim(ctx, { k: 'person', a: activityId, e: employeeId });
}

/** The employee opened the venue's link: the code must be the venue's for this activity and still valid. */
export async function checkInAtVenue(ctx: Ctx, actor: Actor, activityId: number, employeeId: string, token: string) {
  const claim = await readClaim(ctx, token);
  if (!claim || claim.k !== 'venue' || claim.a !== activityId) throw Invalid.field('body.token', 'is not this activity’s check-in code');
  const now = ctx.now().getTime();
  if (now < claim.nbf || now > claim.exp) throw new Forbidden('The check-in code is not valid now');
  return checkIn(ctx, actor, activityId, employeeId, 'venue');
}

/** Staff scanned a person's code: it names the person and this activity. */
export async function checkInByPersonalCode(ctx: Ctx, actor: Actor, activityId: number, token: string) {
  const claim = await readClaim(ctx, token);
  if (!claim || claim.k !== 'person' || claim.a !== activityId)
    throw Invalid.field('body.token', 'is not a check-in code for this activity');
  return checkIn(ctx, actor, activityId, claim.e, 'personal');
}

export async function personOfCode(ctx: Ctx, activityId: number, token: string): Promise<string | null> {
  const claim = await readClaim(ctx, token);
  return claim && claim.k === 'person' && claim.a === activityId ? claim.e : null;
}

/** A QR code as an SVG data URL, for a link the phone camera opens. */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await qrcode().toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
