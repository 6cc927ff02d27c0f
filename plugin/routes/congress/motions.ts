import { action } from '../../areas/types';
import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { UnionError } from '../../errors';
import {
  acceptMotion,
  answerMotion,
  assignMotion,
  convertMotion,
  rateMotion,
  secondMotion,
  submitMotion,
} from '../../services/congress/motions';
import { listMotions, viewMotion } from '../../services/congress/reading';
import type { AnswerInput, AssignInput, RateInput, ReasonInput } from '../../services/congress/flow';
import { C } from './permissions';
import * as S from './schemas';

const toMotion = (_out: unknown, { params }: { params: S.ById }) => ({
  to: `/union/congress/motions/${params.id}`,
  flash: 'congress.flash.saved',
});

/** One move on a motion: JSON for the API, a form post from the motion page; who may is decided per motion. */
function motionAction<B>(
  name: string,
  path: string,
  body: object | undefined,
  run: (ctx: Ctx, user: UnionUser, id: number, b: B) => Promise<unknown>,
  withForm = true,
) {
  return action<S.ById, B>({
    name: `congress.${name}`,
    method: 'post',
    api: `/api/congress/motions/:id/${path}`,
    form: withForm ? `/congress/motions/:id/${path}` : undefined,
    access: C.congressTakePart,
    params: S.byId,
    body,
    run: ({ ctx, user, params, body: b }) => run(ctx, user, Number(params.id), b),
    redirect: withForm ? toMotion : undefined,
  });
}

export const motionEndpoints = [
  action<S.ById, S.MotionBody, unknown, { id: number; status: 'submitted' }>({
    name: 'congress.submitMotion',
    method: 'post',
    api: '/api/congress/sessions/:id/motions',
    form: '/congress/sessions/:id/motions',
    access: C.congressTakePart,
    params: S.byId,
    body: S.motionBody,
    run: ({ ctx, user, params, body }) =>
      submitMotion(ctx, user, Number(params.id), { ...body, withholdName: S.checked(body.withholdName) }),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out) => ({ to: `/union/congress/motions/${out.id}`, flash: 'congress.flash.submitted' }),
    formError: (err, { params }) =>
      err instanceof UnionError && err.reason && /^\d{1,10}$/.test(String(params.id))
        ? { to: `/union/congress/sessions/${params.id}`, flash: `errors.${err.reason.key}`, vars: err.reason.vars, kind: 'error' }
        : null,
  }),
  action<S.ById>({
    name: 'congress.motions',
    method: 'get',
    api: '/api/congress/sessions/:id/motions',
    access: C.congressView,
    params: S.byId,
    run: async ({ ctx, user, params }) => ({ items: await listMotions(ctx, user, Number(params.id)) }),
  }),
  action<S.ById>({
    name: 'congress.motion',
    method: 'get',
    api: '/api/congress/motions/:id',
    access: C.congressView,
    params: S.byId,
    run: ({ ctx, user, params }) => viewMotion(ctx, user, Number(params.id)),
  }),
  motionAction<unknown>('second', 'seconders', undefined, (ctx, user, id) => secondMotion(ctx, user, id)),
  motionAction<unknown>('accept', 'accept', undefined, (ctx, user, id) => acceptMotion(ctx, user, id)),
  motionAction<ReasonInput>('convert', 'convert', S.reasonBody, convertMotion),
  // The page assigns through forms.ts (names and 工号 rather than ids).
  motionAction<AssignInput>('assign', 'assign', S.assignBody, assignMotion, false),
  // The answerer need not be an employee with congress rights beyond signing in: the move checks the relation.
  { ...motionAction<AnswerInput>('answer', 'answer', S.answerBody, answerMotion), access: 'signedIn' },
  motionAction<RateInput>('rate', 'rate', S.rateBody, rateMotion),
];
