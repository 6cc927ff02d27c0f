import { action, page } from '../../areas/types';
import { participation } from '../../services/activities/participation';
import { barChartSvg } from '../../services/activities/charts';
import { t } from '../../i18n';
import { labelled } from '../../services/activities/settings';
import { AP } from './permissions';

const yearQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { year: { type: 'integer', minimum: 2000, maximum: 2100 } },
};

/** 参与分析: per member this year, by type, department and org; the same figures as JSON and as a page with SVG charts. */
export const analysisEndpoints = [
  action<Record<string, string>, unknown, { year?: number }>({
    name: 'activities.participation',
    method: 'get',
    api: '/api/activities-participation',
    access: AP.activitiesManage,
    query: yearQuery,
    run: ({ ctx, query }) => participation(ctx, query.year),
  }),

  page<Record<string, string>, { year?: number }>({
    name: 'activities.analysis',
    path: '/activities/analysis',
    access: AP.activitiesManage,
    navKey: 'union.activitiesAnalysis',
    titleKey: 'activities.titles.analysis',
    view: 'activities/analysis',
    query: yearQuery,
    async load({ ctx, query, lang }) {
      const found = await participation(ctx, query.year);
      const p = { ...found, byType: labelled(ctx, lang, found.byType) };
      const histogram = barChartSvg(
        ['0', '1', '2', '3+'].map((n) => t(lang, 'activities.analysis.times', { n })),
        p.histogram,
      );
      const byType = barChartSvg(
        p.byType.map((x) => x.typeLabel),
        p.byType.map((x) => x.attended),
        undefined,
        '#2c7be5',
      );
      return { p, histogram, byTypeChart: byType };
    },
  }),
];
