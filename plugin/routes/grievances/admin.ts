import { action } from '../../areas/types';
import { configureCategory, listCategories } from '../../services/grievances/categories';
import { grievanceStats, type StatsFilter } from '../../services/grievances/stats';
import { rectificationList } from '../../services/grievances/repeats';
import { setRectificationOwner, type OwnerInput } from '../../services/grievances/rectifications';
import { listCalendarDays, setCalendarDay } from '../../services/grievances/calendar';
import type { DayKind } from '../../lib/workdays';
import { G } from './permissions';
import * as S from './schemas';

export const adminEndpoints = [
  action<never, never, StatsFilter>({
    name: 'grievances.stats',
    method: 'get',
    api: '/api/stats/grievances',
    access: G.grievancesOversee,
    query: S.statsQuery,
    run: ({ ctx, user, query }) => grievanceStats(ctx, query, user.scope),
  }),

  action({
    name: 'grievances.rectifications',
    method: 'get',
    api: '/api/grievances/rectifications',
    access: G.grievancesOversee,
    run: async ({ ctx, user }) => ({ items: await rectificationList(ctx, user.scope) }),
  }),

  action<S.ById, OwnerInput>({
    name: 'grievances.rectificationOwner',
    method: 'put',
    api: '/api/grievances/rectifications/:id/owner',
    form: '/grievances/rectifications/:id/owner',
    access: G.grievancesOversee,
    params: S.byId,
    body: S.ownerBody,
    run: ({ ctx, actor, user, params, body }) =>
      setRectificationOwner(ctx, actor, Number(params.id), { ...body, nextCheckpoint: body.nextCheckpoint || undefined }, user.scope),
    redirect: () => ({ to: '/union/grievances/stats', flash: 'grievances.flash.saved' }),
  }),

  action({
    name: 'grievances.categories',
    method: 'get',
    api: '/api/grievance-categories',
    access: G.grievancesFile,
    run: async ({ ctx }) => ({ items: await listCategories(ctx) }),
  }),

  action<{ code: string }, { staffIds: string[]; coordinatedDays?: number }>({
    name: 'grievances.configureCategory',
    method: 'put',
    api: '/api/grievance-categories/:code',
    access: G.grievancesOversee,
    params: S.categoryParams,
    body: S.categoryBody,
    run: ({ ctx, actor, params, body }) => configureCategory(ctx, actor, params.code, body),
  }),

  action({
    name: 'grievances.calendar',
    method: 'get',
    api: '/api/calendar-days',
    access: G.calendarManage,
    run: ({ ctx }) => listCalendarDays(ctx),
  }),

  action<never, { date: string; kind: DayKind | 'official'; note?: string }>({
    name: 'grievances.setCalendarDay',
    method: 'post',
    api: '/api/calendar-days',
    access: G.calendarManage,
    body: S.calendarBody,
    run: ({ ctx, actor, body }) => setCalendarDay(ctx, actor, body),
  }),
];
