import { action, page } from '../../areas/types';
import { coverage } from '../../services/coverage';
import { coverageTrend } from '../../services/coverage-trend';
import { coverageTrendSvg } from '../../services/charts';
import { exportCoverage } from '../../services/coverage-export';
import { t } from '../../i18n';
import { P } from './permissions';

const bar = (rate: number | null) => Math.round((rate ?? 0) * 100);

export const statsEndpoints = [
  action({
    name: 'stats.coverage',
    method: 'get',
    api: '/api/stats/coverage',
    access: P.statsRead,
    run: ({ ctx, user }) => coverage(ctx, user.scope),
  }),

  action<unknown, unknown, { format: 'xlsx' | 'csv' }>({
    name: 'stats.coverageExport',
    method: 'get',
    api: '/api/stats/coverage/export',
    access: P.statsRead,
    query: { type: 'object', additionalProperties: false, properties: { format: { enum: ['xlsx', 'csv'], default: 'xlsx' } } },
    stream: true,
    async run({ ctx, user, lang, query, res }) {
      const name = encodeURIComponent(`${t(lang, 'members.titles.coverage')}-${ctx.today()}.${query.format}`);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
      res.type(query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await exportCoverage(ctx, user.scope, lang, query.format, res);
    },
  }),

  page({
    name: 'stats.coveragePage',
    path: '/coverage',
    access: P.statsRead,
    navKey: 'union.coverage',
    titleKey: 'members.titles.coverage',
    view: 'membership/coverage',
    async load({ ctx, user, lang }) {
      const [c, trend] = await Promise.all([coverage(ctx, user.scope), coverageTrend(ctx, user.scope)]);
      return {
        ...c,
        trendSvg: coverageTrendSvg(trend, { members: t(lang, 'members.coverage.members'), rate: t(lang, 'members.coverage.rate') }),
        pctWidth: bar(c.rate),
        nonMembers: Math.max(0, c.employed - c.members),
        // A department row opens its non-members in 批量邀请.
        byDepartment: c.byDepartment.map((d) => ({ ...d, width: bar(d.rate), nonMembers: Math.max(0, d.employed - d.members) })),
        byOrg: c.byOrg.map((o) => ({ ...o, width: bar(o.rate) })),
      };
    },
  }),
];
