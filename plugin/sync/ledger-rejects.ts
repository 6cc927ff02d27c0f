/**
 * The rows an import could not take, as the union kept them, with the reason beside each: staff fix
 * them in their spreadsheet program and upload the file again (rows already imported are recognised).
 */
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { Ctx } from '../context';
import { t, type Lang } from '../i18n';
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

async function* rejectRows(ctx: Ctx, imp: ImportRecord, lang: Lang): AsyncGenerator<string[]> {
  const width = imp.meta.header.length;
  for await (const r of eachRow(ctx, imp.id, [...REJECTED] as RowClass[])) {
    const cells = Array.from({ length: width }, (_, i) => r.raw[i] ?? '');
    yield [...cells, t(lang, `imports.classes.${r.class}`), describeReason(lang, r.reason)];
  }
}

export async function writeRejectsXlsx(ctx: Ctx, imp: ImportRecord, lang: Lang, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet(t(lang, 'imports.rejects.sheet'));
  const head = header(lang, imp);
  ws.columns = head.map((h, i) => ({ header: h, width: i >= head.length - 1 ? 48 : 14 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const row of rejectRows(ctx, imp, lang)) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}

function csvCell(v: string): string {
  // A cell starting with =, +, -, @ would run as a formula in a spreadsheet program.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with a BOM, which Excel on Chinese Windows opens correctly (plain UTF-8 it would read as GBK). */
export async function writeRejectsCsv(ctx: Ctx, imp: ImportRecord, lang: Lang, out: Writable): Promise<void> {
  out.write('\uFEFF' + header(lang, imp).map(csvCell).join(',') + '\r\n');
  for await (const row of rejectRows(ctx, imp, lang)) {
    if (!out.write(row.map(csvCell).join(',') + '\r\n')) await new Promise((r) => out.once('drain', r));
  }
  out.end();
}
