/**
 * Server-rendered SVG charts for the chair's page (echarts SSR: no script in the browser, which the
 * pages' CSP forbids anyway). Labels are the module's own strings and month numbers, never free text.
 */
import type { EChartsOption } from 'echarts';
import { echarts } from '../../lib/heavy';

function render(option: EChartsOption, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Share by category: a pie. */
export function categoryPie(items: Array<{ label: string; count: number }>, width = 320, height = 240): string {
  return render(
    {
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          label: { formatter: '{b}\n{d}%', fontSize: 11 },
          data: items.map((i) => ({ name: i.label, value: i.count })),
        },
      ],
    },
    width,
    height,
  );
}

/** Cases by month with the on-time rate: bars. */
export function monthBars(items: Array<{ month: string; count: number }>, width = 320, height = 220): string {
  return render(
    {
      grid: { left: 36, right: 12, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: items.map((i) => i.month.slice(2)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: items.map((i) => i.count), itemStyle: { color: '#c0392b' } }],
    },
    width,
    height,
  );
}
