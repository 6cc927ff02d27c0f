/**
 * The desk's charts, drawn on the server as SVG with ECharts (as services/charts.ts does for coverage):
 * the same SVG goes inline into the page and, through svg-to-pdfkit, into the management report.
 */
import type { EChartsCoreOption } from 'echarts';
import { echarts } from '../../lib/heavy';
import type { KpiUnit, TrendPoint } from './types';

/** The value as the chart shows it: rates in percent, the rest as they are. */
const shown = (unit: KpiUnit, v: number | null) => (v === null ? null : unit === 'rate' ? Math.round(v * 1000) / 10 : v);

function render(option: EChartsCoreOption, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Twelve months of one figure as a line; rates on a 0–100% axis. */
export function trendSvg(points: TrendPoint[], unit: KpiUnit, size = { width: 640, height: 240 }): string {
  return render(
    {
      color: ['#c8102e'],
      grid: { left: 48, right: 16, top: 20, bottom: 28 },
      xAxis: { type: 'category', data: points.map((p) => p.month.slice(2)), axisLabel: { fontSize: 11 } },
      yAxis:
        unit === 'rate'
          ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize: 11 } }
          : { type: 'value', scale: unit === 'score', axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'line',
          connectNulls: false,
          data: points.map((p) => shown(unit, p.value)),
          label: { show: points.length <= 12, fontSize: 10 },
        },
      ],
    },
    size.width,
    size.height,
  );
}

/** A figure by org or department, as horizontal bars (lowest first, where work is needed). */
export function breakdownSvg(rows: Array<{ name: string; value: number | null }>, unit: KpiUnit, width = 640): string {
  const sorted = [...rows].sort((a, b) => (a.value ?? -1) - (b.value ?? -1)).slice(0, 30);
  return render(
    {
      color: ['#2c7be5'],
      grid: { left: 120, right: 40, top: 10, bottom: 20 },
      xAxis: unit === 'rate' ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } } : { type: 'value' },
      yAxis: { type: 'category', data: sorted.map((r) => r.name), axisLabel: { fontSize: 11, width: 110, overflow: 'truncate' } },
      series: [{ type: 'bar', data: sorted.map((r) => shown(unit, r.value)), label: { show: true, position: 'right', fontSize: 10 } }],
    },
    width,
    Math.max(120, 24 * sorted.length + 40),
  );
}
