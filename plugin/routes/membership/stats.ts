import { action, page } from '../../areas/types';
import { coverage } from '../../services/coverage';
import { coverageTrend } from '../../services/coverage-trend';
import { coverageTrendSvg } from '../../services/charts';
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
        // A department row opens its non-members in 批量邀请.
        byDepartment: c.byDepartment.map((d) => ({ ...d, width: bar(d.rate), nonMembers: Math.max(0, d.employed - d.members) })),
        byOrg: c.byOrg.map((o) => ({ ...o, width: bar(o.rate) })),
      };
    },
  }),
];
