import { action, page } from '../../areas/types';
import { Invalid } from '../../errors';
import { listPlans, recordPayments } from '../../services/care/welfare';
import { batchProgress, startPayAll, unpaidPage } from '../../services/care/welfare-bulk';
import { C } from './permissions';

const PERIOD = '^\\d{4}-(0[1-9]|1[0-2])$';
const id = { type: 'string', minLength: 1, maxLength: 64 };

const planPeriod = {
  type: 'object',
  required: ['planId', 'period'],
  additionalProperties: false,
  properties: { planId: { type: 'integer', minimum: 1 }, period: { type: 'string', pattern: PERIOD } },
};

// The page's form posts text: the plan's id, the ticked boxes (one box arrives as a string), or all=1 for
// everyone on every page.
const payForm = {
  type: 'object',
  required: ['planId', 'period'],
  additionalProperties: false,
  properties: {
    planId: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' },
    period: { type: 'string', pattern: PERIOD },
    employeeIds: { anyOf: [{ type: 'array', minItems: 1, maxItems: 500, uniqueItems: true, items: id }, id] },
    all: { enum: ['1'] },
  },
};

const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    planId: { type: 'integer', minimum: 1 },
    period: { type: 'string', pattern: PERIOD },
    after: id,
    batch: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
};

type PlanPeriod = { planId: number; period: string };
type PayForm = { planId: string; period: string; employeeIds?: string[] | string; all?: '1' };
type PageQuery = Partial<PlanPeriod> & { after?: string; batch?: string; limit: number };

const back = (b: { planId: number | string; period: string }, extra = '') =>
  `/union/welfare/pay?planId=${b.planId}&period=${b.period}${extra}`;

export const welfarePayEndpoints = [
  action<Record<string, string>, PlanPeriod, unknown, { batch: string; total: number }>({
    name: 'welfare.payAll',
    method: 'post',
    api: '/api/welfare/payments/all',
    access: C.welfareManage,
    body: planPeriod,
    run: ({ ctx, actor, body }) => startPayAll(ctx, actor, body),
    json: (out) => ({ status: 202, body: out }),
  }),

  action<{ id: string }>({
    name: 'welfare.batch',
    method: 'get',
    api: '/api/welfare/batches/:id',
    access: C.welfareManage,
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } } },
    run: ({ ctx, params }) => batchProgress(ctx, params.id),
  }),

  action<Record<string, string>, PayForm, unknown, { recorded?: number; batch: string; total?: number }>({
    name: 'welfare.payForm',
    method: 'post',
    form: '/welfare/pay',
    access: C.welfareManage,
    body: payForm,
    async run({ ctx, actor, body }) {
      const plan = { planId: Number(body.planId), period: body.period };
      if (body.all === '1') return startPayAll(ctx, actor, plan);
      const ids = body.employeeIds === undefined ? [] : Array.isArray(body.employeeIds) ? body.employeeIds : [body.employeeIds];
      if (!ids.length) throw new Invalid('Nobody was ticked', [{ path: 'employeeIds', message: 'tick at least one person' }]);
      return recordPayments(ctx, actor, { ...plan, employeeIds: ids });
    },
    redirect: (out, { body }) =>
      out.recorded === undefined
        ? { to: back(body, `&batch=${out.batch}`) }
        : { to: back(body), flash: 'care.pay.recorded', vars: { n: out.recorded } },
  }),

  page<Record<string, string>, PageQuery>({
    name: 'welfare.payPage',
    path: '/welfare/pay',
    access: C.welfareManage,
    navKey: 'union.welfare',
    titleKey: 'care.titles.pay',
    view: 'care/pay',
    query: pageQuery,
    async load({ ctx, query }) {
      const plans = await listPlans(ctx);
      const planId = query.planId ?? plans[0]?.id;
      const period = query.period ?? ctx.today().slice(0, 7);
      const list = planId ? await unpaidPage(ctx, planId, period, { limit: query.limit, after: query.after }) : null;
      return {
        plans: plans.map((p) => ({ id: p.id, name: p.name, selected: p.id === planId })),
        planId,
        period,
        list,
        batch: query.batch ? await batchProgress(ctx, query.batch) : null,
      };
    },
  }),
];
