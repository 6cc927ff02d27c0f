/** The management report as a workbook: the figures, twelve months of each, and the notable items. */
import { t } from '../../i18n';
import { exceljs } from '../../lib/heavy';
import { formatChange } from './format';
import { REPORT_LANG, type ReportData } from './report-data';
import { periodLabel } from './report-pdf';

const tr = (key: string, vars: Record<string, unknown> = {}) => t(REPORT_LANG, key, vars);

/** Rates as numbers with a percent format, so the sheet can be computed with. */
const cellOf = (v: number | null) => (v === null ? '' : v);
const formatOf = (unit: string) => (unit === 'rate' ? '0.0%' : unit === 'yuan' ? '#,##0.00' : '0.00');

export async function renderXlsx(data: ReportData): Promise<Buffer> {
  const wb = new (exceljs().Workbook)();
  wb.created = new Date(data.generatedAt);
  const figures = wb.addWorksheet(tr('desk.report.sheetFigures'));
  figures.addRow([`${tr('desk.report.title')} ${periodLabel(data.period)}`]).font = { bold: true, size: 14 };
  figures.addRow([tr('desk.report.asOf', { date: data.asOf })]);
  figures.addRow([]);
  const head = figures.addRow([tr('desk.report.figure'), tr('desk.report.value'), tr('desk.report.previous'), tr('desk.report.change')]);
  head.font = { bold: true };
  for (const k of data.kpis) {
    const r = figures.addRow([k.label, cellOf(k.value), cellOf(k.previous), formatChange(k)?.text ?? '']);
    r.getCell(2).numFmt = formatOf(k.unit);
    r.getCell(3).numFmt = formatOf(k.unit);
  }
  figures.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 14));

  const trends = wb.addWorksheet(tr('desk.report.sheetTrends'));
  const withTrend = data.kpis.filter((k) => k.trend);
  const months = withTrend[0]?.trend?.map((p) => p.month) ?? [];
  trends.addRow([tr('desk.report.month'), ...withTrend.map((k) => k.label)]).font = { bold: true };
  months.forEach((m, i) => {
    const r = trends.addRow([m, ...withTrend.map((k) => cellOf(k.trend![i]?.value ?? null))]);
    withTrend.forEach((k, j) => (r.getCell(j + 2).numFmt = formatOf(k.unit)));
  });
  trends.columns.forEach((c, i) => (c.width = i === 0 ? 10 : 16));

  const notes = wb.addWorksheet(tr('desk.report.sheetNotables'));
  notes.addRow([tr('desk.report.notables')]).font = { bold: true };
  for (const n of data.notables.length ? data.notables : [tr('desk.report.noNotables')]) notes.addRow([n]);
  notes.getColumn(1).width = 90;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
