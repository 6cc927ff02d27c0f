/**
 * What a management report says, gathered once from the desk's sources and then drawn twice (PDF and
 * xlsx): the figures with the period before, twelve months of each, and the period's notable items.
 * Progress is reported after each step so a year's report shows how far it got.
 */
import type { Ctx } from '../../context';
import { t } from '../../i18n';
import { DESK_SOURCES } from './sources';
import { figuresFor } from './figures-store';
import { asOfDate, type Period } from './period';
import type { DeskSource, Kpi, TrendPoint, Viewer } from './types';

export interface ReportData {
  period: Period;
  asOf: string;
  generatedAt: string;
  kpis: Array<Kpi & { label: string; trend: TrendPoint[] | null }>;
  notables: string[];
}

/** The report's language: written for the company's management, in Chinese. */
export const REPORT_LANG = 'zh-CN' as const;

export async function gatherReport(
  ctx: Ctx,
  viewer: Viewer,
  period: Period,
  progress: (percent: number, step: string) => Promise<void>,
  sources: readonly DeskSource[] = DESK_SOURCES,
): Promise<ReportData> {
  const kpis: ReportData['kpis'] = [];
  for (const [i, s] of sources.entries()) {
    await progress(5 + Math.round((70 * i) / sources.length), `figures:${s.area}`);
    // Figures as the desk shows them (stored within the last minutes, or counted now), so the two agree.
    for (const k of await figuresFor(ctx, viewer, period, s)) {
      const trend = s.trend ? await s.trend(ctx, viewer, k.key, period) : null;
      kpis.push({ ...k, label: t(REPORT_LANG, `desk.kpis.${k.key}`), trend });
    }
  }
  await progress(75, 'notables');
  const notes = (await Promise.all(sources.map((s) => (s.notable ? s.notable(ctx, viewer, period) : [])))).flat();
  // A variable that is itself a string key (an activity type) is translated too.
  const word = (v: string | number) => (typeof v === 'string' && /^[a-z]+\.[\w.]+$/.test(v) ? t(REPORT_LANG, v) : v);
  const notables = notes.map((n) => t(REPORT_LANG, n.text, Object.fromEntries(Object.entries(n.vars).map(([k, v]) => [k, word(v)]))));
  return { period, asOf: asOfDate(period, ctx.today()), generatedAt: ctx.now().toISOString(), kpis, notables };
}
