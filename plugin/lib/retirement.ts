/**
 * China's statutory retirement date under the gradual reform in force since 2025-01-01
 * (全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定, 2024-09-13, and its annexed tables).
 *
 * Each category has an original age, a first birth cohort, a cohort width and a cap on the delay:
 * - men: 60, from those born 1965-01, one month more for every 4 months of birth, at most 36 months (63);
 * - women cadres (原法定退休年龄 55): 55, from 1970-01, every 4 months, at most 36 months (58);
 * - women workers (原法定退休年龄 50): 50, from 1975-01, every 2 months, at most 60 months (55).
 * Those born before the first cohort keep the original age. The date is the birth date plus that age
 * in years and months; a birth day the target month lacks (31st, 29 Feb) falls on its last day.
 */
export type RetirementCategory = 'male' | 'female_cadre' | 'female_worker';

interface Rule {
  baseYears: number;
  firstCohort: { year: number; month: number };
  /** Months of birth per extra month of working age. */
  step: number;
  capMonths: number;
}

export const RULES: Readonly<Record<RetirementCategory, Rule>> = {
  male: { baseYears: 60, firstCohort: { year: 1965, month: 1 }, step: 4, capMonths: 36 },
  female_cadre: { baseYears: 55, firstCohort: { year: 1970, month: 1 }, step: 4, capMonths: 36 },
  female_worker: { baseYears: 50, firstCohort: { year: 1975, month: 1 }, step: 2, capMonths: 60 },
};

export interface RetirementAge {
  years: number;
  months: number;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** The statutory age for someone of this category born on `birthDate`. */
export function retirementAge(category: RetirementCategory, birthDate: string): RetirementAge {
  const rule = RULES[category];
  const b = parseDate(birthDate);
  const sinceFirst = (b.year - rule.firstCohort.year) * 12 + (b.month - rule.firstCohort.month);
  const delay = sinceFirst < 0 ? 0 : Math.min(rule.capMonths, Math.floor(sinceFirst / rule.step) + 1);
  return { years: rule.baseYears + Math.floor(delay / 12), months: delay % 12 };
}

/** Adds whole months to a date, keeping the day or, when the month is shorter, its last day. */
export function addMonths(date: string, months: number): string {
  const d = parseDate(date);
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d.day, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The statutory retirement date: the birth date plus the age for the category. */
export function retirementDate(category: RetirementCategory, birthDate: string): string {
  const age = retirementAge(category, birthDate);
  return addMonths(birthDate, age.years * 12 + age.months);
}

/**
 * The category of a person: men are `male`; a woman is a cadre or a worker as HR says when the host
 * gives it (an optional `retirementCategory` of 'cadre' | 'worker' on its employee record), else the
 * module's setting.
 */
export function categoryOf(gender: 'M' | 'F', hrCategory: unknown, fallback: 'cadre' | 'worker'): RetirementCategory {
  if (gender === 'M') return 'male';
  const c = hrCategory === 'cadre' || hrCategory === 'worker' ? hrCategory : fallback;
  return c === 'cadre' ? 'female_cadre' : 'female_worker';
}
