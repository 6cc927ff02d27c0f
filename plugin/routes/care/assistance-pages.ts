import { page } from '../../areas/types';
import { inbox, myCases, viewCase } from '../../services/care/assistance-reading';
import { publicNotices } from '../../services/care/assistance-objections';
import { CATEGORIES, GRADES, KINDS, REVIEW_OUTCOMES } from '../../services/care/assistance-rules';
import { A } from './assistance-permissions';
import * as S from './assistance-schemas';

export const assistancePages = [
  page({
    name: 'assistance.minePage',
    path: '/assistance',
    access: A.assistanceApply,
    navKey: 'union.assistance',
    titleKey: 'assistance.titles.mine',
    view: 'care/assistance-mine',
    load: async ({ ctx, user }) => ({ items: await myCases(ctx, user), categories: CATEGORIES }),
  }),

  page<never, { scope?: 'mine' | 'all' }>({
    name: 'assistance.inboxPage',
    path: '/assistance/inbox',
    access: A.assistanceHandle,
    navKey: 'union.assistanceInbox',
    titleKey: 'assistance.titles.inbox',
    view: 'care/assistance-inbox',
    query: S.scopeQuery,
    load: async ({ ctx, user, query }) => ({
      items: await inbox(ctx, user, query.scope),
      scope: query.scope ?? 'mine',
      categories: CATEGORIES,
    }),
  }),

  page({
    name: 'assistance.noticesPage',
    path: '/assistance/notices',
    access: A.assistanceApply,
    navKey: 'union.assistanceNotices',
    titleKey: 'assistance.titles.notices',
    view: 'care/assistance-notices',
    load: async ({ ctx }) => ({ items: await publicNotices(ctx) }),
  }),

  page<S.ById>({
    name: 'assistance.casePage',
    path: '/assistance/:id',
    access: 'signedIn',
    navKey: 'union.assistance',
    titleKey: 'assistance.titles.case',
    view: 'care/assistance-case',
    params: S.byId,
    async load({ ctx, user, params }) {
      const c = await viewCase(ctx, user, Number(params.id));
      const can = (a: string) => c.actions.includes(a);
      const staff = c.relation !== 'applicant';
      return {
        c,
        act: {
          accept: can('accept'),
          verify: can('verify'),
          decide: can('decide'),
          confirm: can('confirm'),
          pay: can('pay'),
          followUp: can('follow_up'),
          review: can('review') && c.onList,
          withdraw: can('withdraw'),
          resolve: staff && c.status === 'noticed',
        },
        kinds: KINDS,
        grades: GRADES,
        outcomes: REVIEW_OUTCOMES,
      };
    },
  }),
];
