/** How a figure reads in its unit, for the page and the report alike. */
import type { Kpi, KpiUnit } from './types';

export function formatValue(unit: KpiUnit, v: number | null): string {
  if (v === null) return '—';
  if (unit === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'yuan') return `¥${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (unit === 'days') return v.toFixed(1);
  return String(v);
}

/** The change against the previous period, in the figure's unit (percentage points for rates). */
export function formatChange(k: Pick<Kpi, 'unit' | 'value' | 'previous'>): { text: string; dir: 'up' | 'down' | 'flat' } | null {
  if (k.value === null || k.previous === null) return null;
  const d = k.value - k.previous;
  const dir = Math.abs(d) < 1e-9 ? 'flat' : d > 0 ? 'up' : 'down';
  const abs = Math.abs(d);
  const text =
    k.unit === 'rate' ? `${(abs * 100).toFixed(1)}pp` : k.unit === 'yuan' ? formatValue('yuan', abs) : String(Math.round(abs * 100) / 100);
  return { text, dir };
}
