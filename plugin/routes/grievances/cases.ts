import { action } from '../../areas/types';
import { fileGrievance, recordOffline, type Filed } from '../../services/grievances/intake';
import { addUpdate, followUp, reassign, requestInfo, resolveCase, routeCase, supplyInfo } from '../../services/grievances/handling';
import { inbox, myCases, overdueList, readLog, viewCase } from '../../services/grievances/reading';
import type { HandlingPath, NoteInput, ReassignInput, ResolveInput } from '../../services/grievances/flow';
import { answerStep, planJointSheet, type StepInput } from '../../services/grievances/joint';
import { G } from './permissions';
import { filingUploads } from './evidence';
import * as S from './schemas';

const back = (_out: unknown, { params }: { params: S.ById }) => ({ to: `/union/grievances/${params.id}`, flash: 'grievances.flash.saved' });

/** One move on a case: JSON for the API, a form post from the case page; who may is decided per case (404 for strangers). */
function caseAction<B>(
  name: string,
  path: string,
  body: object,
  run: (c: Parameters<typeof viewCase>[0], u: Parameters<typeof viewCase>[1], id: number, b: B) => Promise<unknown>,
) {
  return action<S.ById, B>({
    name: `grievances.${name}`,
    method: 'post',
    api: `/api/grievances/:id/${path}`,
    form: `/grievances/:id/${path}`,
    access: 'signedIn',
    params: S.byId,
    body,
    run: ({ ctx, user, params, body: b }) => run(ctx, user, Number(params.id), b),
    redirect: back,
  });
}

export const caseEndpoints = [
  action<never, S.FileBody, unknown, Filed>({
    name: 'grievances.file',
    method: 'post',
    api: '/api/grievances',
    form: '/grievances',
    access: G.grievancesFile,
    body: S.fileBody,
    run: ({ ctx, actor, body, req }) => fileGrievance(ctx, actor, { ...body, anonymous: S.checked(body.anonymous) }, filingUploads(req)),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out) => ({ to: `/union/grievances/${out.id}`, flash: 'grievances.flash.filed', vars: { id: out.id } }),
  }),

  action<never, S.OfflineBody, unknown, Filed>({
    name: 'grievances.recordOffline',
    method: 'post',
    api: '/api/grievances/offline',
    form: '/grievances/offline',
    access: G.grievancesHandle,
    body: S.offlineBody,
    run: ({ ctx, actor, body }) => recordOffline(ctx, actor, { ...body, anonymous: S.checked(body.anonymous) }),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out) => ({ to: `/union/grievances/${out.id}`, flash: 'grievances.flash.filed', vars: { id: out.id } }),
  }),

  action({
    name: 'grievances.mine',
    method: 'get',
    api: '/api/grievances/mine',
    access: G.grievancesFile,
    run: async ({ ctx, user }) => ({ items: await myCases(ctx, user) }),
  }),

  action<never, never, { scope?: 'mine' | 'all' }>({
    name: 'grievances.inbox',
    method: 'get',
    api: '/api/grievances/inbox',
    access: G.grievancesHandle,
    query: { type: 'object', additionalProperties: false, properties: { scope: { enum: ['mine', 'all'] } } },
    run: async ({ ctx, user, query }) => ({ items: await inbox(ctx, user, query.scope) }),
  }),

  action({
    name: 'grievances.overdue',
    method: 'get',
    api: '/api/grievances/overdue',
    access: G.grievancesOversee,
    run: async ({ ctx }) => ({ items: await overdueList(ctx) }),
  }),

  action<S.ById>({
    name: 'grievances.read',
    method: 'get',
    api: '/api/grievances/:id',
    access: 'signedIn',
    params: S.byId,
    run: ({ ctx, user, params }) => viewCase(ctx, user, Number(params.id)),
  }),

  action<S.ById>({
    name: 'grievances.reads',
    method: 'get',
    api: '/api/grievances/:id/reads',
    access: G.grievancesOversee,
    params: S.byId,
    run: async ({ ctx, params }) => ({ items: await readLog(ctx, Number(params.id)) }),
  }),

  caseAction<{ path: HandlingPath; days?: number; nextRound?: string }>('route', 'route', S.routeBody, routeCase),
  caseAction<NoteInput>('update', 'updates', S.noteBody, addUpdate),
  caseAction<NoteInput>('requestInfo', 'request-info', S.noteBody, requestInfo),
  caseAction<NoteInput>('supply', 'supply', S.noteBody, supplyInfo),
  caseAction<ResolveInput>('resolve', 'resolve', S.resolveBody, resolveCase),
  caseAction<S.FollowUpBody>('followUp', 'follow-up', S.followUpBody, (ctx, user, id, b) =>
    followUp(ctx, user, id, {
      evaluation: b.evaluation,
      comment: b.comment,
      knowsOutcome: b.knowsOutcome === undefined ? undefined : S.checked(b.knowsOutcome),
      acceptsOutcome: b.acceptsOutcome === undefined ? undefined : S.checked(b.acceptsOutcome),
      newProblem: b.newProblem === undefined ? undefined : S.checked(b.newProblem),
    }),
  ),
  caseAction<ReassignInput>('reassign', 'reassign', S.reassignBody, reassign),
];

const stepsBody = {
  type: 'object',
  required: ['steps'],
  additionalProperties: false,
  properties: {
    steps: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      items: {
        type: 'object',
        required: ['departmentId', 'staffId'],
        additionalProperties: false,
        properties: {
          departmentId: { type: 'string', minLength: 1, maxLength: 64 },
          staffId: { type: 'string', minLength: 1, maxLength: 64 },
          days: { type: 'integer', minimum: 1, maximum: 30, default: 3 },
          asked: { type: 'string', maxLength: 500 },
        },
      },
    },
  },
};

export const jointEndpoints = [
  action<S.ById, { steps: StepInput[] }>({
    name: 'grievances.planJointSheet',
    method: 'post',
    api: '/api/grievances/:id/joint-steps',
    access: 'signedIn',
    params: S.byId,
    body: stepsBody,
    run: async ({ ctx, user, params, body }) => ({ steps: await planJointSheet(ctx, user, Number(params.id), body.steps) }),
    json: (out) => ({ status: 201, body: out }),
  }),
  action<S.ById, NoteInput>({
    name: 'grievances.answerJointStep',
    method: 'post',
    api: '/api/grievances/:id/joint-steps/answer',
    form: '/grievances/:id/joint-steps/answer',
    access: 'signedIn',
    params: S.byId,
    body: S.noteBody,
    run: async ({ ctx, user, params, body }) => ({ step: await answerStep(ctx, user, Number(params.id), body.note) }),
    // Once answered, the step's staff no longer see the case: back to their own list.
    redirect: () => ({ to: '/union/grievances', flash: 'grievances.flash.jointAnswered' }),
  }),
];
