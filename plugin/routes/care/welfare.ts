import { action, page } from '../../areas/types';
import { t } from '../../i18n';
import { createPlan, listPlans, ownPayments, recordPayments, type PlanInput } from '../../services/care/welfare';
import { planGaps } from '../../services/care/welfare-gaps';
import { gapCards } from '../../services/care/welfare-gap-cards';
import { OCCASIONS, recordOccurrence, type OccurrenceInput } from '../../services/care/occurrences';
import { C } from './permissions';

const PERIOD = '^\\d{4}-(0[1-9]|1[0-2])$';
// A form posts the amount as text; the API sends a number. Both mean yuan, at most two decimals.
const amount = {
  anyOf: [
    { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
    { type: 'string', pattern: '^\\d{1,7}(\\.\\d{1,2})?$' },
  ],
};

const planBody = {
  type: 'object',
  required: ['name', 'cycle', 'startsOn', 'audience'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    amount,
    item: { type: 'string', minLength: 1, maxLength: 100 },
    cycle: { enum: ['once', 'monthly', 'yearly', 'per_occurrence'] },
    startsOn: { type: 'string', format: 'calendar-date' },
    endsOn: { type: 'string', format: 'calendar-date' },
    audience: { enum: ['all_members'] },
    // The page's select posts '' for "no occasion" (the plan is not per occurrence).
    occasion: { enum: [...OCCASIONS, ''] },
  },
};

const occurrenceBody = {
  type: 'object',
  required: ['employeeId', 'kind', 'occurredOn'],
  additionalProperties: false,
  properties: {
    employeeId: { type: 'string', minLength: 1, maxLength: 64 },
    kind: { enum: [...OCCASIONS] },
    occurredOn: { type: 'string', format: 'calendar-date' },
  },
};

const paymentsBody = {
  type: 'object',
  required: ['planId', 'period', 'employeeIds'],
  additionalProperties: false,
  properties: {
    planId: { type: 'integer', minimum: 1 },
    period: { type: 'string', pattern: PERIOD },
    employeeIds: {
      type: 'array',
      minItems: 1,
      maxItems: 20_000,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 64 },
    },
  },
};

const gapsQuery = {
  type: 'object',
  required: ['planId', 'period'],
  additionalProperties: false,
  properties: { planId: { type: 'integer', minimum: 1 }, period: { type: 'string', pattern: PERIOD } },
};

type PlanBody = Omit<PlanInput, 'amount' | 'occasion'> & { amount?: number | string; occasion?: PlanInput['occasion'] | '' };
type PaymentsBody = { planId: number; period: string; employeeIds: string[] };
type GapsQuery = { planId: number; period: string };

const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));

export const welfareEndpoints = [
  action<Record<string, string>, PlanBody>({
    name: 'welfare.createPlan',
    method: 'post',
    api: '/api/welfare/plans',
    form: '/welfare/plans',
    access: C.welfareManage,
    body: planBody,
    run: ({ ctx, actor, body }) =>
      createPlan(ctx, actor, {
        ...body,
        amount: body.amount === undefined ? undefined : Number(body.amount),
        occasion: body.occasion || undefined,
      }),
    json: (out) => ({ status: 201, body: out }),
    redirect: () => ({ to: '/union/welfare', flash: 'care.welfare.created' }),
  }),

  action<Record<string, string>, PaymentsBody>({
    name: 'welfare.recordPayments',
    method: 'post',
    api: '/api/welfare/payments',
    access: C.welfareManage,
    body: paymentsBody,
    run: ({ ctx, actor, body }) => recordPayments(ctx, actor, body),
    json: (out) => ({ status: 201, body: out }),
  }),

  action<Record<string, string>, OccurrenceInput>({
    name: 'welfare.recordOccurrence',
    method: 'post',
    api: '/api/welfare/occurrences',
    form: '/welfare/occurrences',
    access: C.welfareManage,
    body: occurrenceBody,
    run: ({ ctx, actor, body }) => recordOccurrence(ctx, actor, body),
    json: (out) => ({ status: 201, body: out }),
    redirect: () => ({ to: '/union/welfare', flash: 'care.welfare.occurrenceRecorded' }),
  }),

  action<Record<string, string>, unknown, GapsQuery>({
    name: 'welfare.gaps',
    method: 'get',
    api: '/api/welfare/gaps',
    access: C.welfareManage,
    query: gapsQuery,
    run: ({ ctx, query }) => planGaps(ctx, query.planId, query.period),
  }),

  action({
    name: 'welfare.mine',
    method: 'get',
    api: '/api/me/welfare',
    access: C.welfareOwn,
    run: async ({ ctx, user }) => ({ items: await ownPayments(ctx, user.id) }),
  }),

  page<Record<string, string>, Partial<GapsQuery>>({
    name: 'welfare.page',
    path: '/welfare',
    access: C.welfareManage,
    navKey: 'union.welfare',
    titleKey: 'care.titles.welfare',
    view: 'care/welfare',
    query: { type: 'object', properties: gapsQuery.properties },
    async load({ ctx, lang, query }) {
      const plans = await listPlans(ctx);
      const gaps = query.planId && query.period ? await gapCards(ctx, await planGaps(ctx, query.planId, query.period)) : null;
      return {
        plans: plans.map((p) => ({
          id: p.id,
          name: p.name,
          amount: money(p.amount_cents),
          item: p.item,
          cycle: t(lang, `care.welfare.cycle.${p.cycle}`),
          startsOn: p.starts_on,
          selected: p.id === query.planId,
        })),
        period: query.period ?? ctx.today().slice(0, 7),
        gaps,
        occasions: OCCASIONS.map((value) => ({ value, label: t(lang, `care.welfare.occasion.${value}`) })),
      };
    },
  }),

  page({
    name: 'welfare.minePage',
    path: '/my-welfare',
    access: C.welfareOwn,
    navKey: 'union.myWelfare',
    titleKey: 'care.titles.myWelfare',
    view: 'care/my-welfare',
    load: async ({ ctx, user }) => ({
      payments: (await ownPayments(ctx, user.id)).map((p) => ({ ...p, amount: p.amount === null ? null : p.amount.toFixed(2) })),
    }),
  }),
];
