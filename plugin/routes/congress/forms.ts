/**
 * What the chair and the committee do on the pages, where people type names or 工号 instead of the host's
 * ids: the same service calls as the API, with the form's strings turned into the API's shapes here.
 */
import { action } from '../../areas/types';
import { UnionError } from '../../errors';
import { createSession } from '../../services/congress/sessions';
import { assignMotion } from '../../services/congress/motions';
import { resolvePeople, resolvePerson } from '../../services/congress/people';
import { C } from './permissions';
import * as S from './schemas';

const blankOr = (schema: object) => ({ anyOf: [schema, { enum: [''] }] });
const optional = (v: string | undefined) => (v ? v : undefined);
const pctOf = (v: string | undefined) => (v ? Number(v) : null);
const digits = { type: 'string', pattern: '^[0-9]{1,3}$' };
const date = { type: 'string', format: 'calendar-date' };

/** A refusal a person can act on (a name that matches nobody) goes back to the page with the reason. */
function backWith(to: string) {
  return (err: unknown) =>
    err instanceof UnionError && err.reason
      ? { to, flash: `errors.${err.reason.key}`, vars: err.reason.vars, kind: 'error' as const }
      : null;
}

const sessionForm = {
  type: 'object',
  required: ['title', 'delegates'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    term: { type: 'string', maxLength: 50 },
    startsOn: blankOr(date),
    endsOn: blankOr(date),
    motionsCloseOn: blankOr(date),
    agenda: { type: 'string', maxLength: 10000 },
    delegates: { type: 'string', maxLength: 100000 },
    managerMaxPct: blankOr(digits),
    womenMinPct: blankOr(digits),
    frontLineMinPct: blankOr(digits),
  },
};
type SessionForm = Record<'title' | 'delegates', string> &
  Partial<
    Record<'term' | 'startsOn' | 'endsOn' | 'motionsCloseOn' | 'agenda' | 'managerMaxPct' | 'womenMinPct' | 'frontLineMinPct', string>
  >;

const assignForm = {
  type: 'object',
  required: ['leadDepartmentId', 'answerer', 'days'],
  additionalProperties: false,
  properties: {
    leadDepartmentId: { type: 'string', minLength: 1, maxLength: 64 },
    supportingDepartmentIds: {
      anyOf: [
        { type: 'string', maxLength: 64 },
        { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 64 } },
      ],
    },
    answerer: { type: 'string', minLength: 1, maxLength: 64, pattern: '\\S' },
    days: { type: 'string', pattern: '^([1-9]|[1-8][0-9]|90)$' },
  },
};
type AssignForm = { leadDepartmentId: string; supportingDepartmentIds?: string | string[]; answerer: string; days: string };

export const formEndpoints = [
  action<never, SessionForm, unknown, { id: number }>({
    name: 'congress.createSessionForm',
    method: 'post',
    form: '/congress/sessions',
    access: C.congressManage,
    body: sessionForm,
    async run({ ctx, actor, body }) {
      const delegates = await resolvePeople(ctx, body.delegates, 'body.delegates');
      const pct = (v: string | undefined) => {
        const n = pctOf(v);
        return n !== null && n > 100 ? 100 : n;
      };
      return createSession(ctx, actor, {
        title: body.title,
        delegates: [...new Set(delegates)],
        term: optional(body.term),
        startsOn: optional(body.startsOn),
        endsOn: optional(body.endsOn),
        motionsCloseOn: optional(body.motionsCloseOn),
        agenda: (body.agenda ?? '')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
        managerMaxPct: body.managerMaxPct === undefined || body.managerMaxPct === '' ? undefined : pct(body.managerMaxPct),
        womenMinPct: pct(body.womenMinPct),
        frontLineMinPct: pct(body.frontLineMinPct),
      });
    },
    redirect: (out) => ({ to: `/union/congress/manage?session=${out.id}`, flash: 'congress.flash.created' }),
    formError: backWith('/union/congress/manage'),
  }),

  action<S.ById, AssignForm>({
    name: 'congress.assignForm',
    method: 'post',
    form: '/congress/motions/:id/assign',
    access: C.congressTakePart,
    params: S.byId,
    body: assignForm,
    async run({ ctx, user, params, body }) {
      const answererId = await resolvePerson(ctx, body.answerer, 'body.answerer');
      return assignMotion(ctx, user, Number(params.id), {
        leadDepartmentId: body.leadDepartmentId,
        supportingDepartmentIds: [body.supportingDepartmentIds ?? []].flat(),
        answererId,
        days: Number(body.days),
      });
    },
    redirect: (_out, { params }) => ({ to: `/union/congress/motions/${params.id}`, flash: 'congress.flash.saved' }),
    formError: (err, { params }) => (/^\d{1,10}$/.test(String(params.id)) ? backWith(`/union/congress/motions/${params.id}`)(err) : null),
  }),
];
