/**
 * The spending page's charts, drawn on the server as SVG (ECharts SSR, as in services/charts.ts): no script
 * in the browser, which the pages' CSP forbids anyway. Labels are plan, org and group names the union gave.
 */
import type { EChartsOption } from 'echarts';
import { echarts } from '../../lib/heavy';
import type { SpendingLine } from './spending';

function render(option: EChartsOption, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Entitled, paid and missing per line, as grouped horizontal bars (readable on a phone with long names). */
export function coverageBars(lines: SpendingLine[], labels: { entitled: string; paid: string; missing: string }, width = 360): string {
  const names = lines.map((l) => l.label);
  return render(
    {
      color: ['#9aa5b1', '#2f855a', '#c8102e'],
      legend: { data: [labels.entitled, labels.paid, labels.missing], top: 0, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 11, width: 90, overflow: 'truncate' } },
      series: [
        { name: labels.entitled, type: 'bar', data: lines.map((l) => l.entitled) },
        { name: labels.paid, type: 'bar', data: lines.map((l) => l.paid) },
        { name: labels.missing, type: 'bar', data: lines.map((l) => l.missing) },
      ],
    },
    width,
    Math.max(140, 50 + lines.length * 42),
  );
}

/** The amount paid per line (yuan), as horizontal bars. */
export function amountBars(lines: SpendingLine[], label: string, width = 360): string {
  return render(
    {
      color: ['#c8102e'],
      grid: { left: 8, right: 24, top: 10, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { fontSize: 11 } },
      yAxis: {
        type: 'category',
        data: lines.map((l) => l.label),
        inverse: true,
        axisLabel: { fontSize: 11, width: 90, overflow: 'truncate' },
      },
      series: [{ name: label, type: 'bar', data: lines.map((l) => l.amount), label: { show: true, position: 'right', fontSize: 11 } }],
    },
    width,
    Math.max(120, 30 + lines.length * 30),
  );
}
