import { action } from '../../areas/types';
import {
  listShortfalls,
  moveShortfall,
  openShortfall,
  viewShortfall,
  type OpenInput,
  type StepBody,
} from '../../services/contracts/shortfalls';
import { evidenceEndpoints } from './uploads';
import { backWithReason } from './forms';
import { K } from './permissions';
import * as S from './schemas';

const casePage = (p: { id: string }) => `/union/contracts/shortfalls/${p.id}`;

/** One rung of the ladder: `POST /api/shortfalls/:id/<path>` moves the case by the table's `action`. */
const step = (path: string, act: string) =>
  action<S.ById, StepBody>({
    name: `shortfalls.${act}`,
    method: 'post',
    api: `/api/shortfalls/:id/${path}`,
    form: `/contracts/shortfalls/:id/${path}`,
    access: K.contractsManage,
    params: S.byId,
    body: S.stepBody,
    run: ({ ctx, user, params, body }) => moveShortfall(ctx, user, Number(params.id), act, S.fromForm(body)),
    redirect: (_out, { params }) => ({ to: casePage(params), flash: 'contracts.flash.saved' }),
    formError: (err, { params }) => backWithReason(casePage(params))(err),
  });

export const shortfallEndpoints = [
  action<never, OpenInput, unknown, { id: number; status: string }>({
    name: 'shortfalls.open',
    method: 'post',
    api: '/api/shortfalls',
    form: '/contracts/shortfalls',
    access: K.contractsManage,
    body: S.shortfallBody,
    run: ({ ctx, actor, body }) => openShortfall(ctx, actor, S.fromForm(body)),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out) => ({ to: casePage({ id: String(out.id) }), flash: 'contracts.flash.opened' }),
    formError: (err) => backWithReason('/union/contracts/review')(err),
  }),
  action({
    name: 'shortfalls.list',
    method: 'get',
    api: '/api/shortfalls',
    access: K.contractsManage,
    run: async ({ ctx }) => ({ items: await listShortfalls(ctx) }),
  }),
  action<S.ById>({
    name: 'shortfalls.read',
    method: 'get',
    api: '/api/shortfalls/:id',
    access: K.contractsManage,
    params: S.byId,
    run: ({ ctx, user, params }) => viewShortfall(ctx, user, Number(params.id)),
  }),
  ...evidenceEndpoints('shortfall', 'shortfalls', '/contracts/shortfalls/:id', casePage),
  step('prompt', 'prompt'),
  step('consult', 'consult'),
  step('letter', 'send_letter'),
  step('check', 'check'),
  step('rectified', 'rectified'),
  step('hand-over', 'hand_over'),
];
