/**
 * Charts drawn on the server: ECharts renders SVG without a browser, so a chart works under the
 * strict CSP (no script) and on any phone. One function per chart kind; the SVG goes inline.
 */
import { echarts } from '../lib/heavy';

export interface TrendPoint {
  month: string;
  members: number;
  /** Employed people at the month's end: the rate's denominator. */
  employed?: number;
  rate: number | null;
}

/** Members (bars) and coverage rate (line) per month, as one SVG string. */
export function coverageTrendSvg(points: TrendPoint[], labels: { members: string; rate: string }, width = 640, height = 260): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      color: ['#f3b0ba', '#c8102e'],
      grid: { left: 44, right: 44, top: 30, bottom: 28 },
      legend: { data: [labels.members, labels.rate], top: 0, textStyle: { fontSize: 12 } },
      xAxis: { type: 'category', data: points.map((p) => p.month.slice(2)), axisLabel: { fontSize: 11 } },
      yAxis: [
        { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize: 11 }, splitLine: { show: false } },
      ],
      series: [
        { name: labels.members, type: 'bar', data: points.map((p) => p.members) },
        {
          name: labels.rate,
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => (p.rate === null ? null : Math.round(p.rate * 1000) / 10)),
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
