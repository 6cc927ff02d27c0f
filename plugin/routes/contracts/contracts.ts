import { action } from '../../areas/types';
import { Conflict } from '../../errors';
import {
  clausesInForce,
  createContract,
  listContracts,
  recordFiling,
  viewContract,
  type ContractInput,
} from '../../services/contracts/contracts';
import { exceptionList, recordItem, viewCheck, type ItemInput } from '../../services/contracts/checks';
import { evidenceEndpoints } from './uploads';
import { backWithReason } from './forms';
import { K } from './permissions';
import * as S from './schemas';

const REVIEW = '/union/contracts/review';
const checkPage = (p: { checkId?: string }) => `/union/contracts/checks/${p.checkId}`;

// Fixed paths come before `/api/contracts/:id`.
export const contractEndpoints = [
  action<never, ContractInput>({
    name: 'contracts.create',
    method: 'post',
    api: '/api/contracts',
    access: K.contractsManage,
    body: S.contractBody,
    run: ({ ctx, actor, body }) => createContract(ctx, actor, body),
    json: (out) => ({ status: 201, body: out }),
  }),
  action({
    name: 'contracts.list',
    method: 'get',
    api: '/api/contracts',
    access: K.contractsManage,
    run: async ({ ctx }) => ({ items: await listContracts(ctx) }),
  }),
  action({
    name: 'contracts.inForce',
    method: 'get',
    api: '/api/contracts/in-force',
    access: K.contractsRead,
    run: async ({ ctx }) => ({ items: await clausesInForce(ctx) }),
  }),
  action({
    name: 'contracts.exceptions',
    method: 'get',
    api: '/api/contracts/exceptions',
    access: K.contractsManage,
    run: async ({ ctx }) => ({ items: await exceptionList(ctx) }),
  }),
  action<never, never, unknown, { opened: number; flagged: number }>({
    name: 'contracts.openChecks',
    method: 'post',
    api: '/api/contracts/checks',
    form: '/contracts/checks',
    access: K.contractsManage,
    // The same work as the daily job, under the same lease: a second press while it runs gets 409.
    async run({ runJob, actor }) {
      const out = await runJob('contracts-checks', { trigger: 'button', actor });
      if (!out.ran) throw new Conflict('The compliance check job is running already', [{ path: 'job', message: 'running' }]);
      return out.value as { opened: number; flagged: number };
    },
    redirect: (out) => ({ to: REVIEW, flash: 'contracts.flash.checksOpened', vars: out }),
    formError: (err) => backWithReason(REVIEW)(err),
  }),
  action<S.ById>({
    name: 'contracts.check',
    method: 'get',
    api: '/api/contracts/checks/:id',
    access: K.contractsManage,
    params: S.byId,
    run: ({ ctx, params }) => viewCheck(ctx, Number(params.id)),
  }),
  action<S.ItemParams, ItemInput, unknown, Awaited<ReturnType<typeof recordItem>>>({
    name: 'contracts.recordItem',
    method: 'post',
    api: '/api/contracts/items/:id',
    form: '/contracts/checks/:checkId/items/:id',
    access: K.contractsManage,
    params: S.itemParams,
    body: S.itemBody,
    run: ({ ctx, actor, params, body }) =>
      recordItem(ctx, actor, Number(params.id), S.fromForm(body), params.checkId ? Number(params.checkId) : undefined),
    redirect: (out) => ({ to: checkPage({ checkId: String(out.checkId) }), flash: 'contracts.flash.saved' }),
    formError: (err, { params }) => backWithReason(checkPage(params))(err),
  }),
  ...evidenceEndpoints('item', 'contracts/items', '/contracts/checks/:checkId/items/:id', checkPage),
  action<S.ById, { filedOn: string; reviewDays?: number }>({
    name: 'contracts.recordFiling',
    method: 'post',
    api: '/api/contracts/:id/filing',
    access: K.contractsManage,
    params: S.byId,
    body: S.filingBody,
    run: ({ ctx, actor, params, body }) => recordFiling(ctx, actor, Number(params.id), body),
  }),
  action<S.ById>({
    name: 'contracts.read',
    method: 'get',
    api: '/api/contracts/:id',
    access: K.contractsManage,
    params: S.byId,
    run: ({ ctx, params }) => viewContract(ctx, Number(params.id)),
  }),
];
