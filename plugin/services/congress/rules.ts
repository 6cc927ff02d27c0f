/**
 * The congress's lawful rules as pure functions, table-tested. Integer arithmetic only: "two thirds"
 * and "more than half" must not depend on floating point at their exact edges.
 */

export const CHOICES = ['for', 'against', 'abstain'] as const;
export type Choice = (typeof CHOICES)[number];

export const CATEGORIES = ['manager', 'front_line', 'technical', 'other'] as const;
export type DelegateCategory = (typeof CATEGORIES)[number];

/** A session may vote only when at least two thirds of all its delegates are present. */
export function quorumMet(present: number, total: number): boolean {
  return total > 0 && 3 * present >= 2 * total;
}

/** A resolution or election passes only with more than half of ALL delegates (not of those present) for it. */
export function passes(forVotes: number, totalDelegates: number): boolean {
  return totalDelegates > 0 && 2 * forVotes > totalDelegates;
}

export interface CompositionRules {
  managerMaxPct: number | null;
  womenMinPct: number | null;
  frontLineMinPct: number | null;
}

export interface CompositionCount {
  total: number;
  managers: number;
  women: number;
  frontLine: number;
}

export interface CompositionWarning {
  rule: 'managerMax' | 'womenMin' | 'frontLineMin';
  actual: number;
  limit: number;
  /** The share as a whole percent, for display (the check itself is exact). */
  pct: number;
}

/**
 * Composition against the rules the union set: warnings, never blocks. "At most p%" is broken when
 * 100·count > p·total; "at least p%" when 100·count < p·total.
 */
export function compositionWarnings(c: CompositionCount, rules: CompositionRules): CompositionWarning[] {
  if (!c.total) return [];
  const pct = (n: number) => Math.round((100 * n) / c.total);
  const out: CompositionWarning[] = [];
  if (rules.managerMaxPct !== null && 100 * c.managers > rules.managerMaxPct * c.total)
    out.push({ rule: 'managerMax', actual: c.managers, limit: rules.managerMaxPct, pct: pct(c.managers) });
  if (rules.womenMinPct !== null && 100 * c.women < rules.womenMinPct * c.total)
    out.push({ rule: 'womenMin', actual: c.women, limit: rules.womenMinPct, pct: pct(c.women) });
  if (rules.frontLineMinPct !== null && 100 * c.frontLine < rules.frontLineMinPct * c.total)
    out.push({ rule: 'frontLineMin', actual: c.frontLine, limit: rules.frontLineMinPct, pct: pct(c.frontLine) });
  return out;
}

/**
 * A delegate's category when staff do not give one: the host's manager flag if it sends one (an optional
 * field some HR systems carry), else front-line for shift workers, else other.
 */
export function categoryFrom(e: { shiftWorker?: boolean; manager?: unknown } | null): DelegateCategory {
  if (e && e.manager === true) return 'manager';
  if (e?.shiftWorker) return 'front_line';
  return 'other';
}

/** Whether today lies inside a motion window; an unset end leaves the window open. */
export function windowOpen(today: string, opensOn: string | null, closesOn: string | null): boolean {
  return (!opensOn || today >= opensOn) && (!closesOn || today <= closesOn);
}
