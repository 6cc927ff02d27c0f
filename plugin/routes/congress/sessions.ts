import { action } from '../../areas/types';
import {
  addDelegates,
  type Attendance,
  createSession,
  recordAttendance,
  saveMinutes,
  type DelegateInput,
  type SessionInput,
} from '../../services/congress/sessions';
import { composition } from '../../services/congress/composition';
import { listSessions, motionReport, viewSession } from '../../services/congress/reading';
import { C } from './permissions';
import * as S from './schemas';

export const sessionEndpoints = [
  action<never, SessionInput, unknown, { id: number }>({
    name: 'congress.createSession',
    method: 'post',
    api: '/api/congress/sessions',
    access: C.congressManage,
    body: S.sessionBody,
    run: ({ ctx, actor, body }) => createSession(ctx, actor, body),
    json: (out) => ({ status: 201, body: out }),
  }),
  action({
    name: 'congress.sessions',
    method: 'get',
    api: '/api/congress/sessions',
    access: C.congressView,
    run: async ({ ctx, user }) => ({ items: await listSessions(ctx, user) }),
  }),
  action<S.ById>({
    name: 'congress.session',
    method: 'get',
    api: '/api/congress/sessions/:id',
    access: C.congressView,
    params: S.byId,
    run: ({ ctx, user, params }) => viewSession(ctx, user, Number(params.id)),
  }),
  action<S.ById, { delegates: DelegateInput[] }>({
    name: 'congress.addDelegates',
    method: 'post',
    api: '/api/congress/sessions/:id/delegates',
    access: C.congressPrepare,
    params: S.byId,
    body: S.delegatesBody,
    run: ({ ctx, actor, params, body }) => addDelegates(ctx, actor, Number(params.id), body.delegates),
  }),
  action<S.ById>({
    name: 'congress.composition',
    method: 'get',
    api: '/api/congress/sessions/:id/composition',
    access: C.congressPrepare,
    params: S.byId,
    run: ({ ctx, params }) => composition(ctx, Number(params.id)),
  }),
  action<S.ById, { present: string | string[] }, unknown, Attendance>({
    name: 'congress.attendance',
    method: 'post',
    api: '/api/congress/sessions/:id/attendance',
    form: '/congress/sessions/:id/attendance',
    access: C.congressManage,
    params: S.byId,
    body: S.attendanceBody,
    run: ({ ctx, actor, params, body }) => recordAttendance(ctx, actor, Number(params.id), S.presentList(body.present)),
    redirect: (out, { params }) => ({
      to: `/union/congress/manage?session=${params.id}`,
      flash: 'congress.flash.attendance',
      vars: { present: out.present, total: out.total },
    }),
  }),
  action<S.ById, { minutes: string }>({
    name: 'congress.minutes',
    method: 'put',
    api: '/api/congress/sessions/:id/minutes',
    form: '/congress/sessions/:id/minutes',
    access: C.congressManage,
    params: S.byId,
    body: S.minutesBody,
    run: ({ ctx, actor, params, body }) => saveMinutes(ctx, actor, Number(params.id), body.minutes),
    redirect: (_out, { params }) => ({ to: `/union/congress/manage?session=${params.id}`, flash: 'congress.flash.saved' }),
  }),
  action<S.ById>({
    name: 'congress.motionReport',
    method: 'get',
    api: '/api/congress/sessions/:id/motion-report',
    access: C.congressView,
    params: S.byId,
    run: ({ ctx, user, params }) => motionReport(ctx, user, Number(params.id)),
  }),
];
