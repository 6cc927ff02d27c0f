import { action, page } from '../../areas/types';
import {
  approveApplication,
  listApplications,
  rejectApplication,
  submitApplication,
  CONSENT_TEXT_VERSION,
} from '../../services/applications';
import { Invalid, NotFound } from '../../errors';
import { countApplications } from '../../services/application-counts';
import { P } from './permissions';
import * as present from './present';

type ApplyBody = { consent: boolean | string; note?: string };
const applyBody = {
  type: 'object',
  required: ['consent'],
  additionalProperties: false,
  properties: {
    consent: { anyOf: [{ type: 'boolean' }, { const: 'on' }, { const: 'true' }] },
    note: { type: 'string', maxLength: 500 },
  },
};
const rejectBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
};
type ListQuery = { status: 'submitted' | 'approved' | 'rejected'; after?: number; limit: number };
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['submitted', 'approved', 'rejected'], default: 'submitted' },
    after: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
};
type ById = { id: string };

const applicationId = (raw: string) => {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new NotFound('No such application');
  return id;
};
const consented = (c: ApplyBody['consent'] | undefined) => c === true || c === 'on' || c === 'true';

export const joinEndpoints = [
  page({
    name: 'join.form',
    path: '/join',
    access: P.joinApply,
    navKey: 'union.home',
    titleKey: 'members.titles.join',
    view: 'membership/join',
    async load({ ctx, user, req }) {
      const [person, departments] = await Promise.all([ctx.host.employees.get(user.id), ctx.host.employees.departments()]);
      if (!person) throw new NotFound('You are not in the HR system');
      return {
        person,
        department: departments.find((d) => d.id === person.departmentId)?.name,
        consentVersion: CONSENT_TEXT_VERSION,
        error: req.query.error === 'consent',
      };
    },
  }),

  action<ById, ApplyBody>({
    name: 'join.apply',
    method: 'post',
    api: '/api/join-applications',
    form: '/join',
    access: P.joinApply,
    body: applyBody,
    async run({ ctx, actor, user, body }) {
      return { id: await submitApplication(ctx, actor, user.id, { consent: consented(body.consent), note: body.note || undefined }) };
    },
    json: (out) => ({ status: 201, body: out }),
    redirect: () => ({ to: '/union/', flash: 'members.join.submitted' }),
    // A form sent without the consent box ticked goes back to the form, which says why.
    formError: (err, { req }) => (err instanceof Invalid && !req.body?.consent ? { to: '/union/join?error=consent' } : null),
  }),

  action<ById, unknown, ListQuery>({
    name: 'join.list',
    method: 'get',
    api: '/api/join-applications',
    access: P.membersApprove,
    query: listQuery,
    run: async ({ ctx, user, query }) => {
      const list = await listApplications(ctx, { status: query.status, afterId: query.after, limit: query.limit }, user.scope);
      return { items: list.items.map(present.application), nextAfter: list.nextAfter };
    },
  }),

  action<ById>({
    name: 'join.approve',
    method: 'post',
    api: '/api/join-applications/:id/approve',
    form: '/applications/:id/approve',
    access: P.membersApprove,
    run: ({ ctx, actor, user, params }) => approveApplication(ctx, actor, applicationId(params.id), user.scope),
    redirect: ({ memberNo }) => ({ to: '/union/applications', flash: 'members.applications.approved', vars: { memberNo } }),
  }),

  action<ById, { reason: string }>({
    name: 'join.reject',
    method: 'post',
    api: '/api/join-applications/:id/reject',
    form: '/applications/:id/reject',
    access: P.membersApprove,
    body: rejectBody,
    async run({ ctx, actor, user, params, body }) {
      await rejectApplication(ctx, actor, applicationId(params.id), body.reason, user.scope);
      return { ok: true };
    },
    redirect: () => ({ to: '/union/applications', flash: 'members.applications.rejected' }),
  }),

  page<ById, ListQuery>({
    name: 'join.applications',
    path: '/applications',
    access: P.membersApprove,
    navKey: 'union.applications',
    titleKey: 'members.titles.applications',
    view: 'membership/applications',
    query: listQuery,
    async load({ ctx, user, query }) {
      const [list, total] = await Promise.all([
        listApplications(ctx, { status: query.status, afterId: query.after, limit: query.limit }, user.scope),
        countApplications(ctx, query.status, user.scope),
      ]);
      return {
        status: query.status,
        total,
        items: list.items.map(present.application),
        nextAfter: list.nextAfter,
        nextUrl: list.nextAfter ? `/union/applications?status=${query.status}&after=${list.nextAfter}` : null,
      };
    },
  }),
];
