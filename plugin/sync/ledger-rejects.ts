/**
 * The rows an import could not take, as the union kept them, with the reason beside each: staff fix
 * them in their spreadsheet program and upload the file again (rows already imported are recognised).
 */
import type { Writable } from 'node:stream';
import type { Ctx } from '../context';
import { t, type Lang } from '../i18n';
import { writeCsv, writeXlsx } from '../lib/sheets';
import { maskIdNumber } from '../lib/mask';
import { eachRow, type ImportRecord } from '../services/imports';
import { REJECTED, type Reason, type RowClass } from './ledger-match';

/** A reason in words, e.g. 「入会时间」无法识别为日期：2019-13-01. */
export function describeReason(lang: Lang, reason: Reason | null): string {
  if (!reason) return '';
  return t(lang, `imports.reasons.${reason.code}`, { column: reason.column ?? '', value: reason.value ?? '', row: reason.row ?? '' });
}

function header(lang: Lang, imp: ImportRecord): string[] {
  return [...imp.meta.header, t(lang, 'imports.rejects.class'), t(lang, 'imports.rejects.reason')];
}

/** Columns a ledger may carry that hold ID numbers: matching never needs them, so the rejects file masks them. */
const ID_COLUMN = /身份证|证件号|id\s*(card|number|no)/i;

async function* rejectRows(ctx: Ctx, imp: ImportRecord, lang: Lang): AsyncGenerator<string[]> {
  const width = imp.meta.header.length;
  const masked = new Set(imp.meta.header.flatMap((h, i) => (ID_COLUMN.test(h) ? [i] : [])));
  for await (const r of eachRow(ctx, imp.id, [...REJECTED] as RowClass[])) {
    const cells = Array.from({ length: width }, (_, i) => (masked.has(i) ? maskIdNumber(r.raw[i]) : (r.raw[i] ?? '')));
    yield [...cells, t(lang, `imports.classes.${r.class}`), describeReason(lang, r.reason)];
  }
}

export async function writeRejectsXlsx(ctx: Ctx, imp: ImportRecord, lang: Lang, out: Writable): Promise<void> {
  const head = header(lang, imp);
  await writeXlsx(out, t(lang, 'imports.rejects.sheet'), head, rejectRows(ctx, imp, lang), (i) => (i >= head.length - 1 ? 48 : 14));
}

export async function writeRejectsCsv(ctx: Ctx, imp: ImportRecord, lang: Lang, out: Writable): Promise<void> {
  await writeCsv(out, header(lang, imp), rejectRows(ctx, imp, lang));
}
