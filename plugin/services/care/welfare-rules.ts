/** The welfare ledger's rules that need no database: when a plan is due, money in cents. */
export type Cycle = 'once' | 'monthly' | 'yearly' | 'per_occurrence';

export interface PlanRule {
  cycle: Cycle;
  startsOn: string;
  endsOn: string | null;
}

/**
 * Whether everyone in the plan's audience is owed a payment in the period: monthly from the start month,
 * yearly in the start month's calendar month, once in the start month; per-occurrence plans follow
 * events (a birth, a stay in hospital) and so owe nobody by the calendar.
 */
export function isDue(plan: PlanRule, period: string): boolean {
  const first = plan.startsOn.slice(0, 7);
  if (period < first) return false;
  if (plan.endsOn && period > plan.endsOn.slice(0, 7)) return false;
  switch (plan.cycle) {
    case 'monthly':
      return true;
    case 'yearly':
      return period.slice(5) === first.slice(5);
    case 'once':
      return period === first;
    case 'per_occurrence':
      return false;
  }
}

export const toCents = (yuan: number): number => Math.round(yuan * 100);
export const toYuan = (cents: number | null): number | null => (cents === null ? null : cents / 100);

/** The month before a date's month, as YYYY-MM. */
export function previousPeriod(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
