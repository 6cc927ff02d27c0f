/**
 * The management report as a PDF: A4, the CJK font embedded (Noto Sans Hans from the @embedpdf/fonts-sc
 * package, subset by pdfkit to the characters used), the figures, a chart of twelve months for each,
 * and the notable items. Charts are the desk's ECharts SVG drawn as vectors by svg-to-pdfkit.
 */
import path from 'node:path';
import { t, type Lang } from '../../i18n';
import { pdfkit, svgToPdfkit } from '../../lib/heavy';
import { trendSvg } from './charts';
import { formatChange, formatValue } from './format';
import { REPORT_LANG, type ReportData } from './report-data';
import type { Period } from './period';

// The package exports only its JS entry; its fonts sit beside it in fonts/.
const FONT_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const FONT = path.join(FONT_DIR, 'NotoSansHans-Regular.otf');
const FONT_BOLD = path.join(FONT_DIR, 'NotoSansHans-Bold.otf');

const tr = (key: string, vars: Record<string, unknown> = {}) => t(REPORT_LANG, key, vars);
const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;
const BOTTOM = 841.89 - MARGIN;

/** 2026 年度, 2026 年第 4 季度, 2026 年 11 月 (or in the page's language). */
export function periodLabel(p: Period, lang: Lang = REPORT_LANG): string {
  const year = p.key.slice(0, 4);
  if (p.kind === 'year') return t(lang, 'desk.report.periodYear', { year });
  if (p.kind === 'quarter') return t(lang, 'desk.report.periodQuarter', { year, q: p.key.slice(6) });
  return t(lang, 'desk.report.periodMonth', { year, month: Number(p.key.slice(5)) });
}

function changeText(k: ReportData['kpis'][number]): string {
  const c = formatChange(k);
  if (!c) return '—';
  return c.dir === 'flat' ? tr('desk.change.flat') : tr(`desk.change.${c.dir}`, { d: c.text });
}

export async function renderPdf(data: ReportData): Promise<Buffer> {
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `${tr('desk.report.title')} ${data.period.key}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const ensure = (h: number) => {
    if (doc.y + h > BOTTOM) doc.addPage();
  };

  doc.font('bold').fontSize(20).text(tr('desk.report.title'), { align: 'center' });
  doc.moveDown(0.3).font('body').fontSize(13).text(periodLabel(data.period), { align: 'center' });
  doc
    .moveDown(0.3)
    .fontSize(9)
    .fillColor('#666')
    .text(tr('desk.report.asOf', { date: data.asOf }), { align: 'center' })
    .fillColor('#000');

  // 一、主要指标: a four-column table.
  doc.moveDown(1).font('bold').fontSize(13).text(tr('desk.report.figures'));
  const cols = [WIDTH * 0.36, WIDTH * 0.17, WIDTH * 0.17, WIDTH * 0.3];
  const row = (cells: string[], font: 'body' | 'bold', shade: boolean) => {
    ensure(20);
    const y = doc.y;
    if (shade)
      doc
        .rect(MARGIN, y - 2, WIDTH, 18)
        .fill('#f4f4f4')
        .fillColor('#000');
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc
        .font(font)
        .fontSize(9.5)
        .text(c, x + 4, y, { width: cols[i] - 8, height: 14, lineBreak: false, ellipsis: true, align: i ? 'right' : 'left' });
      x += cols[i];
    });
    doc.x = MARGIN;
    doc.y = y + 18;
  };
  doc.moveDown(0.4);
  row([tr('desk.report.figure'), tr('desk.report.value'), tr('desk.report.previous'), tr('desk.report.change')], 'bold', true);
  data.kpis.forEach((k, i) =>
    row([k.label, formatValue(k.unit, k.value), formatValue(k.unit, k.previous), changeText(k)], 'body', i % 2 === 1),
  );
  doc
    .moveDown(0.5)
    .font('body')
    .fontSize(8)
    .fillColor('#666')
    .text(tr('desk.report.basis'), MARGIN, doc.y, { width: WIDTH })
    .fillColor('#000');

  // 二、十二个月趋势: one chart per figure that has a trend.
  doc.moveDown(1).font('bold').fontSize(13).text(tr('desk.report.trends'), MARGIN);
  for (const k of data.kpis.filter((x) => x.trend)) {
    ensure(200);
    doc.moveDown(0.4).font('body').fontSize(10).text(k.label, MARGIN);
    const y = doc.y + 2;
    svgToPdfkit()(doc, trendSvg(k.trend!, k.unit, { width: 640, height: 220 }), MARGIN, y, {
      width: WIDTH,
      height: 170,
      preserveAspectRatio: 'xMinYMin meet',
      fontCallback: () => 'body',
    });
    doc.x = MARGIN;
    doc.y = y + 175;
  }

  // 三、本期重点事项.
  ensure(60);
  doc.moveDown(1).font('bold').fontSize(13).text(tr('desk.report.notables'), MARGIN);
  doc.moveDown(0.3).font('body').fontSize(10);
  if (!data.notables.length) doc.text(tr('desk.report.noNotables'), { width: WIDTH });
  for (const n of data.notables) {
    ensure(16);
    doc.text(`· ${n}`, MARGIN, doc.y, { width: WIDTH });
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // The footer sits in the bottom margin; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc
      .font('body')
      .fontSize(8)
      .fillColor('#888')
      .text(tr('desk.report.page', { n: i + 1, of: range.count }), MARGIN, 841.89 - 35, {
        width: WIDTH,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
