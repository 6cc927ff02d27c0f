import { fromSqlDateTime } from '../../lib/time';
import { shownStatus, type ActivityStatus, type RegistrationStatus } from './rules';

/** The one place where activity rows become the shapes the API and the pages use. */

export interface ActivityRow {
  id: number;
  title: string;
  type: string;
  description: string | null;
  location: string;
  start_at: string;
  end_at: string;
  registration_deadline: string;
  capacity: number | null;
  option_limit: number | null;
  audience_kind: string;
  audience_ids: string | null;
  status: ActivityStatus;
  taken: number;
  waitlist_seq: number;
  published_at: string | null;
  cancelled_at: string | null;
  cancel_reason?: string | null;
}

export interface OptionRow {
  id: number;
  activity_id: number;
  name: string;
  capacity: number | null;
  taken: number;
  sort: number;
}

export interface RegistrationRow {
  id: number;
  activity_id: number;
  employee_id: string;
  status: RegistrationStatus;
  option_ids: string;
  waitlist_seq: number | null;
  registered_at: string | null;
  offer_expires_at: string | null;
  checked_in_at: string | null;
  score: number | null;
  suggestion: string | null;
}

const iso = (s: string | null) => (s ? fromSqlDateTime(s)!.toISOString() : null);

export function presentOption(o: OptionRow) {
  return { id: o.id, name: o.name, capacity: o.capacity, taken: o.taken, full: o.capacity !== null && o.taken >= o.capacity };
}

export function presentActivity(a: ActivityRow, options: OptionRow[] = []) {
  return {
    id: a.id,
    title: a.title,
    type: a.type,
    description: a.description ?? '',
    location: a.location,
    startAt: iso(a.start_at)!,
    endAt: iso(a.end_at)!,
    registrationDeadline: iso(a.registration_deadline)!,
    capacity: a.capacity,
    optionLimit: a.option_limit,
    audience: { kind: a.audience_kind, ids: a.audience_ids ? (JSON.parse(a.audience_ids) as string[]) : [] },
    status: a.status,
    taken: a.taken,
    placesLeft: a.capacity === null ? null : Math.max(0, a.capacity - a.taken),
    publishedAt: iso(a.published_at),
    cancelReason: a.status === 'cancelled' ? (a.cancel_reason ?? null) : null,
    options: options.map(presentOption),
  };
}

export type ActivityView = ReturnType<typeof presentActivity>;

export function presentRegistration(r: RegistrationRow, position: number | null = null) {
  return {
    status: shownStatus({ status: r.status, checkedInAt: r.checked_in_at }),
    position: r.status === 'waitlisted' ? position : null,
    options: JSON.parse(r.option_ids) as number[],
    registeredAt: iso(r.registered_at),
    offerExpiresAt: iso(r.offer_expires_at),
    checkedInAt: iso(r.checked_in_at),
    feedback: r.score === null ? null : { score: r.score, suggestion: r.suggestion ?? '' },
  };
}
