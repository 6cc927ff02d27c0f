import { page } from '../../areas/types';
import { listMotions, listSessions, motionReport, viewMotion, viewSession } from '../../services/congress/reading';
import { composition } from '../../services/congress/composition';
import { listMatters } from '../../services/congress/matters';
import { viewVote } from '../../services/congress/votes';
import { RATINGS } from '../../services/congress/flow';
import { CHOICES } from '../../services/congress/rules';
import { C } from './permissions';
import * as S from './schemas';

export const congressPages = [
  page({
    name: 'congress.homePage',
    path: '/congress',
    access: C.congressView,
    navKey: 'union.congress',
    titleKey: 'congress.titles.home',
    view: 'congress/home',
    load: async ({ ctx, user }) => ({ sessions: await listSessions(ctx, user) }),
  }),

  page<never, { session?: number }>({
    name: 'congress.managePage',
    path: '/congress/manage',
    access: C.congressPrepare,
    navKey: 'union.congressManage',
    titleKey: 'congress.titles.manage',
    view: 'congress/manage',
    query: { type: 'object', additionalProperties: false, properties: { session: { type: 'integer', minimum: 1 } } },
    async load({ ctx, user, query }) {
      const sessions = await listSessions(ctx, user);
      const id = query.session ?? sessions[0]?.id;
      const current = id ? sessions.find((s) => s.id === id) : undefined;
      const [comp, report, matters, session] = current
        ? await Promise.all([
            composition(ctx, current.id),
            motionReport(ctx, user, current.id),
            listMatters(ctx),
            viewSession(ctx, user, current.id),
          ])
        : [null, null, await listMatters(ctx), null];
      // The chair's live turnout for each open vote (never who chose what).
      const live = session ? await Promise.all(session.votes.filter((v) => v.status === 'open').map((v) => viewVote(ctx, user, v.id))) : [];
      return { sessions, current, comp, report, matters, session, live };
    },
  }),

  page<S.ById>({
    name: 'congress.sessionPage',
    path: '/congress/sessions/:id',
    access: C.congressView,
    navKey: 'union.congress',
    titleKey: 'congress.titles.session',
    view: 'congress/session',
    params: S.byId,
    async load({ ctx, user, params }) {
      const id = Number(params.id);
      const [s, motions] = await Promise.all([viewSession(ctx, user, id), listMotions(ctx, user, id)]);
      return { s, motions, choices: CHOICES, canSubmit: s.delegate && user.permissions.has(C.congressTakePart) };
    },
  }),

  page<S.ById>({
    name: 'congress.motionPage',
    path: '/congress/motions/:id',
    access: C.congressView,
    navKey: 'union.congress',
    titleKey: 'congress.titles.motion',
    view: 'congress/motion',
    params: S.byId,
    async load({ ctx, user, params }) {
      const m = await viewMotion(ctx, user, Number(params.id));
      const can = (a: string) => m.actions.includes(a);
      const departments = can('assign') ? await ctx.host.employees.departments() : [];
      return {
        m,
        departments,
        act: { accept: can('accept'), convert: can('convert'), assign: can('assign'), answer: can('answer'), rate: can('rate') },
        ratings: RATINGS,
      };
    },
  }),
];
