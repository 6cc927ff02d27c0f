import { action, page } from '../../areas/types';
import { NotFound } from '../../errors';
import { currentYear, dashboard, kpiDetail, viewerOf } from '../../services/desk/dashboard';
import { parsePeriod, PERIOD_PATTERN, type Period } from '../../services/desk/period';
import { breakdownSvg, trendSvg } from '../../services/desk/charts';
import { periodLabel } from '../../services/desk/report-pdf';
import type { Lang } from '../../i18n';
import { presentKpi, presentTodos, formatValue } from './present';
import { D } from './permissions';

const periodQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { period: { type: 'string', pattern: PERIOD_PATTERN } },
};
const keyParams = { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[a-zA-Z]{1,40}$' } } };
type PeriodQuery = { period?: string };

const periodOr = (q: PeriodQuery, fallback: Period) => (q.period ? parsePeriod(q.period)! : fallback);

/** The periods the page offers: this month, quarter and year, and last year. */
function choices(today: string, current: string, lang: Lang) {
  const y = today.slice(0, 4);
  const keys = [today.slice(0, 7), `${y}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`, y, String(Number(y) - 1)];
  if (!keys.includes(current)) keys.push(current);
  return keys.map((key) => ({ key, label: periodLabel(parsePeriod(key)!, lang), current: key === current }));
}

export const dashboardEndpoints = [
  action<Record<string, string>, unknown, PeriodQuery>({
    name: 'desk.dashboard',
    method: 'get',
    api: '/api/dashboard',
    access: D.deskView,
    query: periodQuery,
    run: ({ ctx, user, query }) => dashboard(ctx, viewerOf(user), periodOr(query, currentYear(ctx))),
  }),

  action<{ key: string }, unknown, PeriodQuery>({
    name: 'desk.kpi',
    method: 'get',
    api: '/api/dashboard/kpis/:key',
    access: D.deskView,
    params: keyParams,
    query: periodQuery,
    run: ({ ctx, user, params, query }) => kpiDetail(ctx, viewerOf(user), params.key, periodOr(query, currentYear(ctx))),
  }),

  page<Record<string, string>, PeriodQuery>({
    name: 'desk.page',
    path: '/desk',
    access: D.deskView,
    navKey: 'union.desk',
    titleKey: 'desk.titles.desk',
    view: 'desk/desk',
    query: periodQuery,
    async load({ ctx, user, query, lang }) {
      const d = await dashboard(ctx, viewerOf(user), periodOr(query, currentYear(ctx)));
      return {
        ...d,
        todos: presentTodos(d.todos),
        waiting: d.todos.reduce((s, t) => s + t.count, 0),
        kpis: d.kpis.map(presentKpi),
        periods: choices(ctx.today(), d.period, lang),
        periodLabel: periodLabel(parsePeriod(d.period)!, lang),
      };
    },
  }),

  page<{ key: string }, PeriodQuery>({
    name: 'desk.kpiPage',
    path: '/desk/kpis/:key',
    access: D.deskView,
    navKey: 'union.desk',
    titleKey: 'desk.titles.kpi',
    view: 'desk/kpi',
    params: keyParams,
    query: periodQuery,
    async load({ ctx, user, params, query, lang }) {
      const detail = await kpiDetail(ctx, viewerOf(user), params.key, periodOr(query, currentYear(ctx)));
      if (!detail) throw new NotFound(`No figure ${params.key}`);
      const { kpi, trend, breakdown } = detail;
      const rows = (list: Array<{ name: string; value: number | null; base: number }>) =>
        list.map((r) => ({ ...r, shown: formatValue(kpi.unit, r.value) }));
      return {
        kpi: presentKpi(kpi),
        trendSvg: trend ? trendSvg(trend, kpi.unit) : null,
        trend: trend?.map((p) => ({ ...p, shown: formatValue(kpi.unit, p.value) })),
        byOrg: breakdown?.byOrg.length ? rows(breakdown.byOrg) : null,
        byOrgSvg: breakdown?.byOrg.length ? breakdownSvg(breakdown.byOrg, kpi.unit) : null,
        byDepartment: breakdown?.byDepartment.length ? rows(breakdown.byDepartment) : null,
        byDepartmentSvg: breakdown?.byDepartment.length ? breakdownSvg(breakdown.byDepartment, kpi.unit) : null,
        period: query.period ?? currentYear(ctx).key,
        periodLabel: periodLabel(parsePeriod(query.period ?? currentYear(ctx).key)!, lang),
      };
    },
  }),
];
