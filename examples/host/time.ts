/** Dates are 'YYYY-MM-DD' strings; datetimes are stored as UTC 'YYYY-MM-DD HH:MM:SS.mmm' (same on MySQL and SQLite). */
import type { HostClock } from '../../plugin/host';

export const systemClock: HostClock = { now: () => new Date() };

export function sqlDateTime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/** Stored UTC datetime -> ISO 8601 with Z. */
export function isoFromSql(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  // The stored form ('YYYY-MM-DD HH:MM:SS.mmm') needs no Date to become ISO: listing employees does this per row.
  if (s.length === 23 && s[10] === ' ' && s[19] === '.') return `${s.slice(0, 10)}T${s.slice(11)}Z`;
  return new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`).toISOString();
}

/** Normalises a DATE column value to 'YYYY-MM-DD' (or null). */
export function asDate(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
