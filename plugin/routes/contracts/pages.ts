import { page } from '../../areas/types';
import { clausesInForce } from '../../services/contracts/contracts';
import { exceptionList } from '../../services/contracts/checks';
import { listShortfalls } from '../../services/contracts/shortfalls';
import { K } from './permissions';

export const contractPages = [
  page({
    name: 'contracts.clausesPage',
    path: '/contracts',
    access: K.contractsRead,
    navKey: 'union.contracts',
    titleKey: 'contracts.titles.clauses',
    view: 'contracts/clauses',
    load: async ({ ctx }) => ({ contracts: await clausesInForce(ctx) }),
  }),
  page({
    name: 'contracts.reviewPage',
    path: '/contracts/review',
    access: K.contractsManage,
    navKey: 'union.contractsReview',
    titleKey: 'contracts.titles.review',
    view: 'contracts/review',
    async load({ ctx }) {
      const [exceptions, shortfalls] = await Promise.all([exceptionList(ctx), listShortfalls(ctx)]);
      return { exceptions, shortfalls };
    },
  }),
];
