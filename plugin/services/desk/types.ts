/**
 * The desk's provider interface. The desk owns no figures: each area contributes its to-dos and key
 * figures through one `DeskSource` (sources/<area>.ts), registered in sources/index.ts. A source reads
 * through its own area's services, so every figure is the area's own, computed the area's way.
 */
import type { Ctx } from '../../context';
import type { Scope } from '../scope';
import type { Period } from './period';

/** Who is looking: what they may act on (permissions) and which part of the union (scope). */
export interface Viewer {
  id: string;
  permissions: ReadonlySet<string>;
  scope: Scope;
}

/** Work waiting for this viewer: how many, and the page where it is done. */
export interface Todo {
  kind: string;
  count: number;
  href: string;
}

export type KpiUnit = 'rate' | 'score' | 'days' | 'count' | 'yuan';

/** One key figure: its value for the period and the period before, and as of when. */
export interface Kpi {
  key: string;
  value: number | null;
  previous: number | null;
  unit: KpiUnit;
  /** The date the figure was read for (today for a running period, else the period's last day). */
  asOf: string;
  /** The area page that shows the same figure; the desk links there. */
  href: string;
  /** When it was counted (ISO time): the desk may serve a figure counted a few minutes ago. */
  at?: string;
}

export interface TrendPoint {
  month: string;
  value: number | null;
}

export interface BreakdownRow {
  name: string;
  value: number | null;
  /** What the value is out of, as the area counts it (employed people, members, cases). */
  base: number;
}

export interface Breakdown {
  byOrg: BreakdownRow[];
  byDepartment: BreakdownRow[];
}

/** A line for the management report: something worth naming in the period (a repeat, a big activity). */
export interface Notable {
  kind: string;
  text: string;
  vars: Record<string, string | number>;
}

export interface DeskSource {
  area: string;
  todos(ctx: Ctx, viewer: Viewer, period: Period): Promise<Todo[]>;
  kpis(ctx: Ctx, viewer: Viewer, period: Period): Promise<Kpi[]>;
  /** The twelve months ending with the period's last month, for one of this source's keys. */
  trend?(ctx: Ctx, viewer: Viewer, key: string, period: Period): Promise<TrendPoint[] | null>;
  /** The figure by org and department, for one of this source's keys (null: no breakdown for it). */
  breakdown?(ctx: Ctx, viewer: Viewer, key: string, period: Period): Promise<Breakdown | null>;
  notable?(ctx: Ctx, viewer: Viewer, period: Period): Promise<Notable[]>;
}
