/**
 * The desk: every source's to-dos and key figures for one viewer and period, read in parallel. The desk
 * adds nothing of its own: it only orders and labels what the areas answer.
 */
import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { NotFound } from '../../errors';
import { DESK_SOURCES } from './sources';
import { figuresFor } from './figures-store';
import { asOfDate, parsePeriod, type Period } from './period';
import type { Breakdown, DeskSource, Kpi, Notable, Todo, TrendPoint, Viewer } from './types';

export const viewerOf = (user: UnionUser): Viewer => ({ id: user.id, permissions: user.permissions, scope: user.scope });

/** The desk's default period: the current calendar year, so each figure is its area's figure for the year. */
export const currentYear = (ctx: Ctx): Period => parsePeriod(ctx.today().slice(0, 4))!;

export interface Dashboard {
  period: string;
  asOf: string;
  todos: Todo[];
  kpis: Kpi[];
}

export async function dashboard(ctx: Ctx, viewer: Viewer, period: Period = currentYear(ctx), sources = DESK_SOURCES): Promise<Dashboard> {
  const parts = await Promise.all(sources.map((s) => Promise.all([s.todos(ctx, viewer, period), figuresFor(ctx, viewer, period, s)])));
  return {
    period: period.key,
    asOf: asOfDate(period, ctx.today()),
    todos: parts.flatMap(([t]) => t),
    kpis: parts.flatMap(([, k]) => k),
  };
}

async function ownerOf(ctx: Ctx, viewer: Viewer, key: string, period: Period, sources: readonly DeskSource[]) {
  for (const s of sources) {
    const kpi = (await figuresFor(ctx, viewer, period, s)).find((k) => k.key === key);
    if (kpi) return { source: s, kpi };
  }
  throw new NotFound(`No figure ${key}`);
}

/** One figure opened: its value, the twelve months before, and its breakdown by org and department. */
export async function kpiDetail(
  ctx: Ctx,
  viewer: Viewer,
  key: string,
  period: Period = currentYear(ctx),
  sources = DESK_SOURCES,
): Promise<{ kpi: Kpi; trend: TrendPoint[] | null; breakdown: Breakdown | null }> {
  const { source, kpi } = await ownerOf(ctx, viewer, key, period, sources);
  const [trend, breakdown] = await Promise.all([
    source.trend ? source.trend(ctx, viewer, key, period) : null,
    source.breakdown ? source.breakdown(ctx, viewer, key, period) : null,
  ]);
  return { kpi, trend, breakdown };
}

/** The period's notable items, for the report. */
export async function notables(ctx: Ctx, viewer: Viewer, period: Period, sources = DESK_SOURCES): Promise<Notable[]> {
  return (await Promise.all(sources.map((s) => (s.notable ? s.notable(ctx, viewer, period) : [])))).flat();
}
