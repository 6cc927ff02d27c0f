import type { Trx } from '../context';
import { Invalid } from '../errors';
import { isMysql } from '../lib/db';

/**
 * Member numbers (会员编号) follow a pattern such as `GH{YYYY}{SEQ:4}`: the part before {SEQ} is the
 * sequence's key, so each join year counts from 1. The sequence only grows, so a number is never reused.
 */
export interface NumberPattern {
  prefixFor(year: number): string;
  format(prefix: string, seq: number): string;
  /** Splits a number into its sequence key and value, or null if it does not fit the pattern. */
  parse(memberNo: string): { prefix: string; seq: number } | null;
}

export function compilePattern(pattern: string): NumberPattern {
  const m = /^(.*)\{SEQ(?::([1-9]))?\}(.*)$/.exec(pattern);
  if (!m) throw Invalid.field('settings.memberNoPattern', 'must contain {SEQ} or {SEQ:n}');
  const [, head, widthText, tail] = m;
  const width = widthText ? Number(widthText) : 4;
  const prefixFor = (year: number) => head.replace('{YYYY}', String(year)).replace('{YY}', String(year).slice(2));
  const headRe = head
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace('\\{YYYY\\}', '\\d{4}')
    .replace('{YYYY}', '\\d{4}')
    .replace('{YY}', '\\d{2}');
  const re = new RegExp(`^(${headRe})(\\d{${width},})${tail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return {
    prefixFor,
    format: (prefix, seq) => `${prefix}${String(seq).padStart(width, '0')}${tail}`,
    parse: (no) => {
      const hit = re.exec(no);
      return hit ? { prefix: hit[1], seq: Number(hit[2]) } : null;
    },
  };
}

/**
 * Reserves `count` consecutive numbers for a join year inside the caller's transaction. The UPDATE
 * takes the sequence row's lock until commit, so concurrent issuers queue instead of colliding.
 */
export async function allocateMemberNos(trx: Trx, pattern: NumberPattern, year: number, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const prefix = pattern.prefixFor(year);
  // UPDATE first: an INSERT IGNORE on an existing row takes a shared lock, and many issuers upgrading
  // shared locks to exclusive ones deadlock each other. Only the first number of a year inserts.
  let bumped: number;
  if (isMysql(trx)) {
    // One round trip while the row is locked: LAST_INSERT_ID(expr) hands the new value back as the
    // statement's insert id, so the hot row of the current year is held one query shorter.
    const [res] = await trx.raw('update union_member_no_sequences set last_value = last_insert_id(last_value + ?) where prefix = ?', [
      count,
      prefix,
    ]);
    bumped = Number(res?.affectedRows ?? 0);
    const last = Number(res?.insertId ?? 0);
    if (bumped === 1 && last >= count) return Array.from({ length: count }, (_, i) => pattern.format(prefix, last - count + 1 + i));
  } else {
    bumped = await trx('union_member_no_sequences').where({ prefix }).increment('last_value', count);
  }
  if (bumped === 0) {
    await trx('union_member_no_sequences').insert({ prefix, last_value: 0 }).onConflict('prefix').ignore();
    await trx('union_member_no_sequences').where({ prefix }).increment('last_value', count);
  }
  const row = await trx('union_member_no_sequences').where({ prefix }).first('last_value');
  const last = Number(row.last_value);
  return Array.from({ length: count }, (_, i) => pattern.format(prefix, last - count + 1 + i));
}

/** After numbers come in from a legacy ledger, move each sequence past them so new ones never collide. */
export async function advancePastImported(trx: Trx, pattern: NumberPattern, memberNos: string[]): Promise<void> {
  const highest = new Map<string, number>();
  for (const no of memberNos) {
    const p = pattern.parse(no);
    if (p && p.seq > (highest.get(p.prefix) ?? 0)) highest.set(p.prefix, p.seq);
  }
  for (const [prefix, seq] of highest) {
    await trx('union_member_no_sequences').insert({ prefix, last_value: 0 }).onConflict('prefix').ignore();
    await trx('union_member_no_sequences').where({ prefix }).andWhere('last_value', '<', seq).update({ last_value: seq });
  }
}
