/**
 * How values in a hand-kept ledger are read: full-width characters, stray and inner spaces, and dates
 * written every way a union office writes them. Pure functions, shared by the parser and the matcher.
 */
import { isCalendarDate } from '../lib/time';

/** A cell as the file holds it: text, a number, or a spreadsheet date. */
export type Cell = string | number | Date | null;

/** Full-width ASCII (ＥＭ０００５) and the ideographic space to their half-width forms. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Every kind of space, the ideographic and the zero-width ones included. */
export const SPACE = /[\s\u200B]+/g;

export function normaliseEmployeeNo(s: string): string {
  return toHalfWidth(s).replace(SPACE, '').replace(/^'/, '').toUpperCase();
}

export const normaliseMemberNo = normaliseEmployeeNo;

/** Names lose every space (刘  红梅 = 刘红梅); the middle dot of minority names has one spelling. */
export function normaliseName(s: string): string {
  return toHalfWidth(s)
    .replace(SPACE, '')
    .replace(/[•‧・∙･]/g, '·');
}

export function normaliseDepartment(s: string): string {
  return toHalfWidth(s).replace(SPACE, '');
}

/** Header cells compare without spaces, colons, asterisks or a closing note: 入会时间（年月日） = 入会时间. */
export function headerKey(s: string): string {
  return toHalfWidth(s)
    .replace(SPACE, '')
    .replace(/[*：:]/g, '')
    .replace(/\(.*\)$/, '')
    .toLowerCase();
}

// ---- dates -------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function ymd(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100) return null;
  const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isCalendarDate(s) ? s : null;
}

/** Excel date cells, Excel serial numbers, and text such as 2019.03.01, 2019/3/1, 2019年3月1日, 2020-7-15, 20190301. */
export function parseLedgerDate(v: Cell): string | null {
  if (v === null) return null;
  if (v instanceof Date) {
    // Spreadsheet dates are stored as float days; round away the float noise before taking the day.
    const t = Math.round(v.getTime() / 60_000) * 60_000;
    return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 19000101 && v <= 21001231) return ymd(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
    if (v >= 1 && v < 73415) return new Date(EXCEL_EPOCH + Math.round(v) * DAY_MS).toISOString().slice(0, 10);
    return null;
  }
  const s = toHalfWidth(v)
    .trim()
    .replace(/[\sT]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, '');
  let m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (m) return ymd(+m[1], +m[2], +m[3]);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return ymd(+m[1], +m[2], +m[3]);
  // 入会年月 is often kept to the month only: the first of that month.
  m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$/.exec(s);
  if (m) return ymd(+m[1], +m[2], 1);
  if (/^\d{5}(\.\d+)?$/.test(s)) return parseLedgerDate(Number(s));
  return null;
}
