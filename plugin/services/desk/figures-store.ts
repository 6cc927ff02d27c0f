/**
 * The desk's key figures, read through a short-lived store (union_desk_figures). At 100,000 employees some
 * figures take seconds to count (participation is a year of attendance per person), while the desk must
 * open at once: a figure computed within FRESH_FOR_MS is served as stored, with the time it was counted
 * (`at`), so it still says as of when. The `desk-figures` job recounts the whole union's view for each role
 * that sees the desk, so the usual desk never waits; a branch's view is stored on first read. To-dos are
 * never stored: they must go the moment the work is done.
 */
import type { Ctx } from '../../context';
import { sqlDateTime } from '../../lib/time';
import { WHOLE_UNION } from '../scope';
import { DESK_SOURCES } from './sources';
import { permKeyOf, scopeKeyOf } from './kept';
import { parsePeriod, type Period } from './period';
import type { DeskSource, Kpi, Viewer } from './types';

/** How long stored figures are served; the job recounts more often than this. */
export const FRESH_FOR_MS = 15 * 60_000;

export type StoredKpi = Kpi & { at: string };

async function store(ctx: Ctx, viewer: Viewer, period: Period, source: DeskSource, kpis: StoredKpi[]): Promise<void> {
  const key = { scope_key: scopeKeyOf(viewer), perm_key: permKeyOf(viewer), period: period.key, area: source.area };
  await ctx
    .db('union_desk_figures')
    .insert({ ...key, kpis: JSON.stringify(kpis), computed_at: ctx.nowSql() })
    .onConflict(['scope_key', 'perm_key', 'period', 'area'])
    .merge(['kpis', 'computed_at']);
}

/** Counts a source's figures now and keeps them. */
export async function countFigures(ctx: Ctx, viewer: Viewer, period: Period, source: DeskSource): Promise<StoredKpi[]> {
  const at = ctx.now().toISOString();
  const kpis = (await source.kpis(ctx, viewer, period)).map((k) => ({ ...k, at }));
  await store(ctx, viewer, period, source, kpis);
  return kpis;
}

/** A source's figures for the viewer: as stored while fresh, otherwise counted now. */
export async function figuresFor(ctx: Ctx, viewer: Viewer, period: Period, source: DeskSource): Promise<StoredKpi[]> {
  const row = await ctx
    .db('union_desk_figures')
    .where({ scope_key: scopeKeyOf(viewer), perm_key: permKeyOf(viewer), period: period.key, area: source.area })
    .first('kpis', 'computed_at');
  const age = row ? ctx.now().getTime() - new Date(`${String(row.computed_at).replace(' ', 'T')}Z`).getTime() : -1;
  // A row from the future (a clock set back) is no use: figures are only ever as of now or before.
  const fresh = age >= 0 && age < FRESH_FOR_MS;
  if (fresh) return JSON.parse(row.kpis) as StoredKpi[];
  return countFigures(ctx, viewer, period, source);
}

/**
 * The job: the whole union's figures for this year, for each role that sees the desk (its permissions as
 * the manifest grants them), recounted so the desk reads them warm.
 */
export async function refreshFigures(ctx: Ctx, sources: readonly DeskSource[] = DESK_SOURCES) {
  const period = parsePeriod(ctx.today().slice(0, 4))!;
  const roles = ctx.manifest.roles.filter((r) => r.permissions.includes('union.desk.view'));
  let counted = 0;
  for (const role of roles) {
    const viewer: Viewer = { id: `job:desk-figures`, permissions: new Set(role.permissions), scope: WHOLE_UNION };
    for (const s of sources) counted += (await countFigures(ctx, viewer, period, s)).length;
  }
  // Rows nobody asked for again are dropped after a day.
  await ctx
    .db('union_desk_figures')
    .where('computed_at', '<', sqlDateTime(new Date(ctx.now().getTime() - 86_400_000)))
    .delete();
  return { period: period.key, roles: roles.length, figures: counted };
}
