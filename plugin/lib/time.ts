/** Calendar helpers. Dates are 'YYYY-MM-DD' strings; datetimes are stored as UTC 'YYYY-MM-DD HH:MM:SS.mmm'. */

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `at` in the given IANA timezone, e.g. Asia/Shanghai. */
export function dateIn(timezone: string, at: Date): string {
  let f = dayFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timezone, f);
  }
  return f.format(at);
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** SQL DATETIME(3) literal in UTC; works the same on MySQL and SQLite. */
export function sqlDateTime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * An ISO 8601 instant as a stored UTC datetime. The host's usual form (toISOString's, with Z) is cut
 * into shape without building a Date: a sync reads this for every employee.
 */
export function sqlFromIso(iso: string): string {
  if (iso.length === 24 && iso[10] === 'T' && iso[19] === '.' && iso[23] === 'Z') return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return sqlDateTime(new Date(iso));
}

/** Parses our stored UTC datetime back to a Date. */
export function fromSqlDateTime(s: string | null | undefined): Date | null {
  if (!s) return null;
  return new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Normalises what a DATE column hands back (string on both drivers with dateStrings) to 'YYYY-MM-DD'. */
export function asDate(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
