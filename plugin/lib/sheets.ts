import type { Writable } from 'node:stream';
import { exceljs } from './heavy';

export type SheetRows = AsyncIterable<Array<string | number>>;

/** Streams rows into an xlsx workbook with a bold header row; nothing is held beyond the current row. */
export async function writeXlsx(
  out: Writable,
  sheet: string,
  header: string[],
  rows: SheetRows,
  widthOf: (column: number) => number = () => 16,
): Promise<void> {
  const wb = new (exceljs().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true });
  const ws = wb.addWorksheet(sheet);
  ws.columns = header.map((h, i) => ({ header: h, width: widthOf(i) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const row of rows) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}

export function csvCell(value: string | number): string {
  const v = String(value);
  // A cell starting with =, +, -, @ (after any spaces, which some programs skip), a tab or a carriage
  // return would run as a formula in a spreadsheet program: a leading quote makes it text.
  const safe = /^[\t\r]|^[ \u3000]*[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with a BOM, which Excel on Chinese Windows opens correctly (plain UTF-8 it would read as GBK). */
export async function writeCsv(out: Writable, header: string[], rows: SheetRows): Promise<void> {
  out.write('\uFEFF' + header.map(csvCell).join(',') + '\r\n');
  for await (const row of rows) {
    if (!out.write(row.map(csvCell).join(',') + '\r\n')) await new Promise((r) => out.once('drain', r));
  }
  out.end();
}
