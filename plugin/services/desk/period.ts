/**
 * Report and desk periods: a month (2026-11), a quarter (2026-Q4) or a year (2026). Pure functions,
 * table-tested: parsing, the period before, its months, and the date a figure is read for.
 */
export interface Period {
  key: string;
  kind: 'month' | 'quarter' | 'year';
  /** First and last calendar day, inclusive. */
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const make = (key: string, kind: Period['kind'], y: number, m1: number, m2: number): Period => ({
  key,
  kind,
  from: `${y}-${pad(m1)}-01`,
  to: `${y}-${pad(m2)}-${pad(lastDay(y, m2))}`,
});

export const PERIOD_PATTERN = '^\\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$';

/** Null when the text is not a period. */
export function parsePeriod(text: string): Period | null {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (m) return make(text, 'month', Number(m[1]), Number(m[2]), Number(m[2]));
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) return make(text, 'quarter', Number(m[1]), Number(m[2]) * 3 - 2, Number(m[2]) * 3);
  m = /^(\d{4})$/.exec(text);
  if (m) return make(text, 'year', Number(m[1]), 1, 12);
  return null;
}

/** The month a date falls in, as a period. */
export const monthOf = (date: string): Period => parsePeriod(date.slice(0, 7))!;

/** The period of the same kind just before. */
export function previousPeriod(p: Period): Period {
  const y = Number(p.key.slice(0, 4));
  if (p.kind === 'year') return parsePeriod(String(y - 1))!;
  if (p.kind === 'quarter') {
    const q = Number(p.key.slice(6));
    return parsePeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`)!;
  }
  const m = Number(p.key.slice(5));
  return parsePeriod(m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`)!;
}

/** The months (YYYY-MM) a period covers. */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  for (let d = p.from.slice(0, 7); d <= p.to.slice(0, 7);) {
    out.push(d);
    const [y, m] = d.split('-').map(Number);
    d = m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
  }
  return out;
}

/** The twelve months ending with the period's last month. */
export function twelveMonthsTo(p: Period): string[] {
  const [y, m] = p.to.slice(0, 7).split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const k = y * 12 + (m - 1) - (11 - i);
    return `${Math.floor(k / 12)}-${pad((k % 12) + 1)}`;
  });
}

/** The date figures are read for: the period's last day, or today while the period runs. */
export const asOfDate = (p: Period, today: string): string => (p.to < today ? p.to : today);

/** Whether the period has not ended yet (figures are "so far"). */
export const isRunning = (p: Period, today: string): boolean => p.from <= today && today <= p.to;
