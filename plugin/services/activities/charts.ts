import { echarts } from '../../lib/heavy';

/**
 * A bar chart rendered on the server as SVG (ECharts SSR): pages show it without any script, and
 * labels are escaped by the renderer. The chart is disposed at once; nothing stays in memory.
 */
export function barChartSvg(labels: string[], values: number[], size = { width: 300, height: 190 }, color = '#c0392b'): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({
      animation: false,
      grid: { left: 36, right: 12, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: values, itemStyle: { color }, label: { show: true, position: 'top', fontSize: 11 } }],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
