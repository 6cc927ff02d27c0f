import { action, page } from '../../areas/types';
import { t } from '../../i18n';
import { listPlans } from '../../services/care/welfare';
import { spendingReport } from '../../services/care/spending';
import { spendingXlsx } from '../../services/care/spending-export';
import { amountBars, coverageBars } from '../../services/care/spending-charts';
import { C } from './permissions';

const spendingQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    period: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
    planId: { type: 'integer', minimum: 1 },
  },
};
type SpendingQuery = { period?: string; planId?: number };

export const spendingEndpoints = [
  action<never, never, SpendingQuery>({
    name: 'care.spending',
    method: 'get',
    api: '/api/care/spending',
    access: C.welfareManage,
    query: spendingQuery,
    run: ({ ctx, lang, query }) => spendingReport(ctx, lang, { period: query.period ?? ctx.today().slice(0, 7), planId: query.planId }),
  }),

  action<never, never, SpendingQuery>({
    name: 'care.spendingExport',
    method: 'get',
    api: '/api/care/spending/export',
    access: C.welfareManage,
    query: spendingQuery,
    stream: true,
    async run({ ctx, lang, query, res }) {
      const report = await spendingReport(ctx, lang, { period: query.period ?? ctx.today().slice(0, 7), planId: query.planId });
      const name = encodeURIComponent(`${t(lang, 'assistance.spending.title')}-${report.period}.xlsx`);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await spendingXlsx(report, lang, res);
    },
  }),

  page<never, SpendingQuery>({
    name: 'care.spendingPage',
    path: '/care/spending',
    access: C.welfareManage,
    navKey: 'union.spending',
    titleKey: 'assistance.titles.spending',
    view: 'care/spending',
    query: spendingQuery,
    async load({ ctx, lang, query }) {
      const period = query.period ?? ctx.today().slice(0, 7);
      const [report, plans] = await Promise.all([spendingReport(ctx, lang, { period, planId: query.planId }), listPlans(ctx)]);
      const k = (key: string) => t(lang, `assistance.spending.${key}`);
      const labels = { entitled: k('entitled'), paid: k('paid'), missing: k('missing') };
      const exportQuery = new URLSearchParams({ period, ...(query.planId ? { planId: String(query.planId) } : {}) }).toString();
      return {
        report,
        period,
        plans: plans.map((p) => ({ id: p.id, name: p.name, selected: p.id === query.planId })),
        exportQuery,
        planChart: report.byPlan.length ? coverageBars(report.byPlan, labels) : null,
        groupChart: coverageBars(report.byGroup, labels),
        orgChart: report.byOrg.some((l) => l.amount > 0) ? amountBars(report.byOrg, k('amount')) : null,
      };
    },
  }),
];
