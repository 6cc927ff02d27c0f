import { action, page } from '../../areas/types';
import { coverage } from '../../services/coverage';
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
    async load({ ctx, user }) {
      const c = await coverage(ctx, user.scope);
      return {
        ...c,
        pctWidth: bar(c.rate),
        byDepartment: c.byDepartment.map((d) => ({ ...d, width: bar(d.rate) })),
        byOrg: c.byOrg.map((o) => ({ ...o, width: bar(o.rate) })),
      };
    },
  }),
];
