/**
 * China's working-day calendar: weekends, public holidays and the weekend days made into working days
 * (调休), from the maintained `chinese-days` package, overridden day by day by the administrators' table
 * `union_calendar_days` (company days, and next year's State Council notice before the package knows it).
 *
 * A year the package does not know is never guessed silently: days counted through it are flagged
 * (`estimated`) and the chair's page warns until the administrators enter it or the package learns it.
 * Dates are 'YYYY-MM-DD' strings; deadlines fall at the end of a working day in the module's timezone.
 */
import chineseDays from 'chinese-days';
import type { Db } from './db';
import { asDate, sqlDateTime } from './time';

export type DayKind = 'workday' | 'holiday';

const knownYears = new Map<number, boolean>();

/** Whether the package carries the official holiday notice for year `y` (a known year has holidays off weekends). */
export function knowsYear(y: number): boolean {
  let known = knownYears.get(y);
  if (known === undefined) {
    known = chineseDays.getHolidaysInRange(`${y}-01-01`, `${y}-12-31`, false).length > 0;
    knownYears.set(y, known);
  }
  return known;
}

const DAY_MS = 86_400_000;

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export class WorkCalendar {
  /** Years that a count had to step through without official data (weekends only, plus overrides). */
  readonly guessedYears = new Set<number>();

  constructor(private readonly overrides: ReadonlyMap<string, DayKind> = new Map()) {}

  isWorkday(date: string): boolean {
    const own = this.overrides.get(date);
    if (own) return own === 'workday';
    const year = Number(date.slice(0, 4));
    if (!knowsYear(year)) {
      this.guessedYears.add(year);
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      return dow !== 0 && dow !== 6;
    }
    return chineseDays.isWorkday(date);
  }

  /**
   * n = 0: the first working day on or after `date` (the day itself if it is one: "end of the working day
   * of receipt", or the next if received on a day off). n > 0: the n-th working day strictly after `date`.
   */
  addWorkingDays(date: string, n: number): string {
    if (n < 0) throw new RangeError(`addWorkingDays needs n >= 0, got ${n}`);
    let d = date;
    if (n === 0) {
      while (!this.isWorkday(d)) d = shift(d, 1);
      return d;
    }
    for (let left = n; left > 0;) {
      d = shift(d, 1);
      if (this.isWorkday(d)) left--;
    }
    return d;
  }

  /** Working days in (a, b]: the inverse of addWorkingDays for n > 0; negative when b is before a. */
  workingDaysBetween(a: string, b: string): number {
    if (b < a) return -this.workingDaysBetween(b, a);
    let n = 0;
    for (let d = shift(a, 1); d <= b; d = shift(d, 1)) if (this.isWorkday(d)) n++;
    return n;
  }

  /** Whether any count so far stepped through a year without official data. */
  get estimated(): boolean {
    return this.guessedYears.size > 0;
  }
}

/** The calendar with the administrators' overrides read from the database (a small table, read whole). */
export async function loadCalendar(db: Db): Promise<WorkCalendar> {
  const rows: Array<{ date: unknown; kind: DayKind }> = await db('union_calendar_days').select('date', 'kind');
  return new WorkCalendar(new Map(rows.map((r) => [asDate(r.date)!, r.kind])));
}

/** Years (this one and the next) the official calendar does not know and no administrator has entered days for. */
export async function unknownYears(db: Db, today: string): Promise<number[]> {
  const y = Number(today.slice(0, 4));
  const out: number[] = [];
  for (const year of [y, y + 1]) {
    if (knowsYear(year)) continue;
    const own = await db('union_calendar_days')
      .whereBetween('date', [`${year}-01-01`, `${year}-12-31`])
      .first('date');
    if (!own) out.push(year);
  }
  return out;
}

/** The last millisecond of `date` in the timezone, as a UTC instant (deadlines end with the working day). */
export function endOfDay(date: string, timezone: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that date: format the UTC instant there and read back the wall-clock difference.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(midnightUtc + 12 * 3_600_000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  const offset = wall - (midnightUtc + 12 * 3_600_000);
  return new Date(midnightUtc + DAY_MS - 1 - offset);
}

/**
 * The UTC instants (as SQL datetimes) bounding the calendar days `from`..`to` in the timezone, for reading
 * stored times by local day: `>= start` and `<= end`.
 */
export function dayRangeSql(from: string, to: string, timezone: string): { start: string; end: string } {
  const dayBefore = new Date(Date.parse(`${from}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  return {
    start: sqlDateTime(new Date(endOfDay(dayBefore, timezone).getTime() + 1)),
    end: sqlDateTime(endOfDay(to, timezone)),
  };
}
