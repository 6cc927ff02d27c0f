import { action } from '../../areas/types';
import { UnionError } from '../../errors';
import { hasKey } from '../../i18n';
import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import {
  acceptCase,
  applyForHelp,
  confirmCase,
  decideCase,
  followUpCase,
  recordForEmployee,
  reviewCase,
  verifyCase,
  withdrawCase,
} from '../../services/care/assistance';
import { payCase } from '../../services/care/assistance-pay';
import { publicNotices, raiseObjection, resolveObjection } from '../../services/care/assistance-objections';
import { inbox, myCases, readLog, viewCase } from '../../services/care/assistance-reading';
import type { ReviewInput } from '../../services/care/assistance-flow';
import { A } from './assistance-permissions';
import * as S from './assistance-schemas';

const back = (_out: unknown, { params }: { params: S.ById }) => ({ to: `/union/assistance/${params.id}`, flash: 'assistance.flash.saved' });

/** A refused form post (400, 409) goes back to the case with what was wrong in words; 404 stays a 404. */
function backRefused(err: unknown, { params }: { params: S.ById }) {
  if (!(err instanceof UnionError) || (err.status !== 400 && err.status !== 409) || !/^\d+$/.test(String(params?.id))) return null;
  const field = err.details[0]?.path.split('.').pop() ?? '';
  const key = `assistance.flash.refusedBy.${field}`;
  return { to: `/union/assistance/${params.id}`, flash: hasKey('zh-CN', key) ? key : 'assistance.flash.refused', kind: 'error' as const };
}

/** One move on a case: JSON for the API, a form post from the case page; who may is decided per case (404 for strangers). */
function caseAction<B>(name: string, path: string, body: object, run: (ctx: Ctx, user: UnionUser, id: number, b: B) => Promise<unknown>) {
  return action<S.ById, B>({
    name: `assistance.${name}`,
    method: 'post',
    api: `/api/assistance-cases/:id/${path}`,
    form: `/assistance/:id/${path}`,
    access: 'signedIn',
    params: S.byId,
    body,
    run: ({ ctx, user, params, body: b }) => run(ctx, user, Number(params.id), b),
    redirect: back,
    formError: backRefused,
  });
}

type Created = { id: number; status: 'submitted'; dueAt: string };

// Fixed paths come before `/api/assistance-cases/:id`.
export const assistanceEndpoints = [
  action<never, S.ApplyBody, unknown, Created>({
    name: 'assistance.apply',
    method: 'post',
    api: '/api/assistance-cases',
    form: '/assistance',
    access: A.assistanceApply,
    body: S.applyBody,
    run: ({ ctx, user, body }) => applyForHelp(ctx, user, { ...body, urgent: S.checked(body.urgent) }),
    json: (out) => ({ status: 201, body: { id: out.id, status: out.status, dueAt: out.dueAt } }),
    redirect: (out) => ({ to: `/union/assistance/${out.id}`, flash: 'assistance.flash.applied', vars: { id: out.id } }),
  }),

  action<never, S.OnBehalfBody, unknown, Created>({
    name: 'assistance.recordForEmployee',
    method: 'post',
    api: '/api/assistance-cases/on-behalf',
    form: '/assistance/on-behalf',
    access: A.assistanceHandle,
    body: S.onBehalfBody,
    run: ({ ctx, user, body }) => recordForEmployee(ctx, user, { ...body, urgent: S.checked(body.urgent) }),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out) => ({ to: `/union/assistance/${out.id}`, flash: 'assistance.flash.applied', vars: { id: out.id } }),
  }),

  action({
    name: 'assistance.mine',
    method: 'get',
    api: '/api/assistance-cases/mine',
    access: A.assistanceApply,
    run: async ({ ctx, user }) => ({ items: await myCases(ctx, user) }),
  }),

  action<never, never, { scope?: 'mine' | 'all' }>({
    name: 'assistance.inbox',
    method: 'get',
    api: '/api/assistance-cases/inbox',
    access: A.assistanceHandle,
    query: S.scopeQuery,
    run: async ({ ctx, user, query }) => ({ items: await inbox(ctx, user, query.scope) }),
  }),

  action({
    name: 'assistance.notices',
    method: 'get',
    api: '/api/assistance-notices',
    access: A.assistanceApply,
    run: async ({ ctx }) => ({ items: await publicNotices(ctx) }),
  }),

  action<S.ById, { reason: string }>({
    name: 'assistance.object',
    method: 'post',
    api: '/api/assistance-notices/:id/objections',
    form: '/assistance/notices/:id/objections',
    access: A.assistanceApply,
    params: S.byId,
    body: S.objectionBody,
    run: ({ ctx, user, params, body }) => raiseObjection(ctx, user, Number(params.id), body),
    json: (out) => ({ status: 201, body: out }),
    redirect: () => ({ to: '/union/assistance/notices', flash: 'assistance.flash.objected' }),
  }),

  action<S.ById>({
    name: 'assistance.read',
    method: 'get',
    api: '/api/assistance-cases/:id',
    access: 'signedIn',
    params: S.byId,
    run: ({ ctx, user, params }) => viewCase(ctx, user, Number(params.id)),
  }),

  action<S.ById>({
    name: 'assistance.reads',
    method: 'get',
    api: '/api/assistance-cases/:id/reads',
    access: A.assistanceOversee,
    params: S.byId,
    run: async ({ ctx, params }) => ({ items: await readLog(ctx, Number(params.id)) }),
  }),

  caseAction<{ note?: string }>('accept', 'accept', S.optionalNote, acceptCase),
  caseAction<S.VerifyBody>('verify', 'verify', S.verifyBody, (ctx, user, id, b) =>
    verifyCase(ctx, user, id, { note: b.note, homeVisitOn: b.homeVisitOn || undefined, familyConsent: S.checked(b.familyConsent) }),
  ),
  caseAction<S.DecideBody>('decide', 'decide', S.decideBody, (ctx, user, id, b) =>
    decideCase(ctx, user, id, { ...b, amount: b.amount === undefined || b.amount === '' ? undefined : Number(b.amount) } as Parameters<
      typeof decideCase
    >[3]),
  ),
  caseAction<{ note?: string }>('confirm', 'confirm', S.optionalNote, confirmCase),
  caseAction<{ note?: string }>('pay', 'pay', S.optionalNote, payCase),
  caseAction<{ note: string }>('followUp', 'follow-up', S.noteBody, followUpCase),
  caseAction<ReviewInput>('review', 'review', S.reviewBody, reviewCase),
  caseAction<{ note?: string }>('withdraw', 'withdraw', S.optionalNote, withdrawCase),

  action<S.ByObjection, { outcome: 'upheld' | 'dismissed'; resolution: string }>({
    name: 'assistance.resolveObjection',
    method: 'post',
    api: '/api/assistance-cases/:id/objections/:objectionId/resolve',
    form: '/assistance/:id/objections/:objectionId/resolve',
    access: 'signedIn',
    params: S.byObjection,
    body: S.resolveBody,
    run: ({ ctx, user, params, body }) => resolveObjection(ctx, user, Number(params.id), Number(params.objectionId), body),
    redirect: back,
    formError: backRefused,
  }),
];
