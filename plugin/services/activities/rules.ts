/** Pure rules of the activities area: no database, table-tested in test/plugin/activities-rules.test.ts. */

export type ActivityStatus = 'draft' | 'published' | 'cancelled' | 'finished';
export type RegistrationStatus = 'registered' | 'waitlisted' | 'offered' | 'cancelled';
/** What a person is told: `attended` once checked in. */
export type ShownStatus = RegistrationStatus | 'attended';

export interface Counter {
  capacity: number | null;
  taken: number;
}

/** Whether one more place can be held on every counter (the activity and each chosen option). */
export function fits(counters: Counter[]): boolean {
  return counters.every((c) => c.capacity === null || c.taken < c.capacity);
}

export function shownStatus(r: { status: RegistrationStatus; checkedInAt: string | null }): ShownStatus {
  return r.status === 'registered' && r.checkedInAt ? 'attended' : r.status;
}

/** Registering, cancelling and confirming an offer are open until the deadline, and only while published. */
export function registrationOpen(
  a: { status: ActivityStatus; registrationDeadline: Date },
  now: Date,
): 'open' | 'closed' | 'deadline_passed' {
  if (a.status !== 'published') return 'closed';
  return now.getTime() < a.registrationDeadline.getTime() ? 'open' : 'deadline_passed';
}

/** Check-in happens during the event window: from an hour before the start to the end. */
export const CHECKIN_EARLY_MS = 60 * 60 * 1000;

export function inCheckinWindow(a: { startAt: Date; endAt: Date }, now: Date): boolean {
  return now.getTime() >= a.startAt.getTime() - CHECKIN_EARLY_MS && now.getTime() <= a.endAt.getTime();
}

export interface ActivityTimes {
  startAt: Date;
  endAt: Date;
  registrationDeadline: Date;
}

/** The fields whose order is wrong, as `body.<field>` paths with a reason; empty when the times make sense. */
export function timeProblems(t: ActivityTimes): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if (t.endAt.getTime() <= t.startAt.getTime()) out.push({ path: 'body.endAt', message: 'must be after startAt' });
  if (t.registrationDeadline.getTime() > t.startAt.getTime())
    out.push({ path: 'body.registrationDeadline', message: 'must not be after startAt' });
  return out;
}

/** Participation: attended ÷ registered (null when nobody registered), rounded to 4 places. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null;
}

export function average(scores: number[]): number | null {
  return scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null;
}
