import { action } from '../../areas/types';
import { addMatter, completeStep, listMatters, type MatterInput, type MatterStep } from '../../services/congress/matters';
import { C } from './permissions';
import * as S from './schemas';

export const matterEndpoints = [
  action({
    name: 'congress.matters',
    method: 'get',
    api: '/api/congress/matters',
    access: C.congressPrepare,
    run: async ({ ctx }) => ({ items: await listMatters(ctx) }),
  }),
  action<never, MatterInput, unknown, { id: number }>({
    name: 'congress.addMatter',
    method: 'post',
    api: '/api/congress/matters',
    access: C.congressPrepare,
    body: S.matterBody,
    run: ({ ctx, actor, body }) => addMatter(ctx, actor, body),
    json: (out) => ({ status: 201, body: out }),
  }),
  action<S.ById, { step: MatterStep; on?: string }>({
    name: 'congress.matterStep',
    method: 'post',
    api: '/api/congress/matters/:id/steps',
    access: C.congressPrepare,
    params: S.byId,
    body: S.stepBody,
    run: ({ ctx, actor, params, body }) => completeStep(ctx, actor, Number(params.id), body.step, body.on),
  }),
];
