/**
 * The contracts area's rules as pure functions over dates ('YYYY-MM-DD'), table-tested in
 * test/plugin/contracts-rules.table.test.ts: quarters, terms, the bureau's review period, the renewal
 * reminder's day, overdue data deliveries and what an employee sees of a clause's latest check.
 */
export const CONTRACT_KINDS = ['collective', 'wages', 'women', 'safety'] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];
export const CLAUSE_KINDS = [
  'wage_increase',
  'piece_rate',
  'overtime',
  'paid_leave',
  'women_barred_jobs',
  'heat_allowance',
  'other',
] as const;
export type ClauseKind = (typeof CLAUSE_KINDS)[number];
export const RESULTS = ['met', 'not_met', 'data_missing'] as const;
export type CheckResult = (typeof RESULTS)[number];

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from a to b (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The quarter a day falls in, e.g. '2026-Q4'. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The first day of a quarter. */
export function quarterStart(quarter: string): string {
  const q = Number(quarter.slice(6));
  return `${quarter.slice(0, 4)}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** Whether the contract's term covers the day (both ends included). */
export function inForce(c: { startsOn: string; endsOn: string }, today: string): boolean {
  return c.startsOn <= today && today <= c.endsOn;
}

/**
 * The last day of the labour bureau's review: the bureau has `reviewDays` days from the day it received
 * the filed text; without an objection in that time the contract takes effect. Null until filed.
 */
export function reviewEndsOn(filedOn: string | null, reviewDays: number): string | null {
  return filedOn ? addDays(filedOn, reviewDays) : null;
}

/**
 * Whether the renewal reminder is due today: from `noticeDays` days before the end up to the end itself
 * (a job that was down on the exact day still reminds late rather than never). Sent once: the caller
 * records that it was.
 */
export function renewalDue(endsOn: string, today: string, noticeDays: number): boolean {
  const left = daysBetween(today, endsOn);
  return left >= 0 && left <= noticeDays;
}

/** A data delivery is overdue once its due day has passed without it. */
export function dataOverdue(item: { dataDueDate: string; dataReceivedOn: string | null }, today: string): boolean {
  return !item.dataReceivedOn && today > item.dataDueDate;
}

export type ClauseStanding = CheckResult | 'pending' | 'unchecked';

/**
 * What a clause's latest check says: its result once recorded; 'pending' while the quarter's check is
 * open without a result; 'unchecked' before any check. An exception is anything other than met.
 */
export function standing(latest: { result: CheckResult | null } | null): ClauseStanding {
  if (!latest) return 'unchecked';
  return latest.result ?? 'pending';
}

export function isException(item: { result: CheckResult | null; dataDueDate: string; dataReceivedOn: string | null }, today: string) {
  return item.result === 'not_met' || item.result === 'data_missing' || dataOverdue(item, today);
}
