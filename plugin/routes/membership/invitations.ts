import { action, page } from '../../areas/types';
import { invitationCounts, invite, listNonMembers, remind } from '../../services/invitations';
import { listOrgs } from '../../services/orgs';
import { reminderState, reminderWaitDays } from '../../services/reminders';
import { sqlDateTime } from '../../lib/time';
import { P } from './permissions';
import * as present from './present';

type CandidatesQuery = { departmentId?: string; orgId?: number; after?: string; limit: number };
const candidatesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    departmentId: { type: 'string', maxLength: 64 },
    orgId: { type: 'integer', minimum: 1 },
    after: { type: 'string', maxLength: 64 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
};
type InviteBody = { employeeIds?: string[] | string; all?: boolean | string; departmentId?: string; orgId?: number | string };
const inviteBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    employeeIds: {
      anyOf: [
        { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 5000 },
        { type: 'string', minLength: 1, maxLength: 64 },
      ],
    },
    all: { anyOf: [{ type: 'boolean' }, { enum: ['1', 'true', 'on'] }] },
    departmentId: { type: 'string', maxLength: 64 },
    orgId: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: '^[0-9]*$' },
      ],
    },
  },
};
type RemindBody = { employeeIds?: string[] };
const remindBody = {
  type: 'object',
  additionalProperties: false,
  properties: { employeeIds: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 5000 } },
};

/** The form and the API name the people to invite in the same few ways; this reads them as one target. */
function target(b: InviteBody) {
  return {
    employeeIds: b.employeeIds === undefined ? undefined : Array.isArray(b.employeeIds) ? b.employeeIds : [b.employeeIds],
    all: b.all === true || b.all === '1' || b.all === 'true' || b.all === 'on',
    departmentId: b.departmentId || undefined,
    orgId: b.orgId ? Number(b.orgId) : undefined,
  };
}

export const invitationEndpoints = [
  action<Record<string, string>, unknown, CandidatesQuery>({
    name: 'invitations.candidates',
    method: 'get',
    api: '/api/invitations/candidates',
    access: P.membersManage,
    query: candidatesQuery,
    run: async ({ ctx, user, query }) => {
      const list = await listNonMembers(ctx, query, user.scope);
      return { ...list, items: list.items.map(present.invitationCandidate) };
    },
  }),

  action<Record<string, string>, InviteBody, unknown, Awaited<ReturnType<typeof invite>>>({
    name: 'invitations.invite',
    method: 'post',
    api: '/api/invitations',
    form: '/invitations',
    access: P.membersManage,
    body: inviteBody,
    run: ({ ctx, actor, user, body }) => invite(ctx, actor, target(body), user.scope),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out) => ({ to: '/union/invitations', flash: 'members.invitations.sent', vars: { n: out.invited } }),
  }),

  action<Record<string, string>, RemindBody, unknown, Awaited<ReturnType<typeof remind>>>({
    name: 'invitations.remind',
    method: 'post',
    api: '/api/invitations/remind',
    form: '/invitations/remind',
    access: P.membersManage,
    body: remindBody,
    run: ({ ctx, actor, user, body }) => remind(ctx, actor, body.employeeIds, user.scope),
    redirect: (out) => ({ to: '/union/invitations', flash: 'members.invitations.reminded', vars: { n: out.reminded } }),
  }),

  page<Record<string, string>, CandidatesQuery>({
    name: 'invitations.page',
    path: '/invitations',
    access: P.membersManage,
    navKey: 'union.invitations',
    titleKey: 'members.titles.invitations',
    view: 'membership/invitations',
    query: candidatesQuery,
    async load({ ctx, user, query }) {
      const [list, counts, departments, orgs, reminders] = await Promise.all([
        listNonMembers(ctx, query, user.scope),
        invitationCounts(ctx, user.scope),
        ctx.host.employees.departments(),
        listOrgs(ctx),
        reminderState(ctx, user.scope),
      ]);
      const deptName = new Map(departments.map((d) => [d.id, d.name]));
      // 工号 is the host's employee number, never the internal id.
      const people = new Map((await ctx.host.employees.getMany(list.items.map((i) => i.employee_id))).map((e) => [e.id, e]));
      const qs = new URLSearchParams(
        Object.entries({ departmentId: query.departmentId, orgId: query.orgId })
          .filter(([, v]) => v)
          .map(([k, v]) => [k, String(v)]),
      );
      return {
        items: list.items.map(present.invitationCandidate).map((i) => ({
          ...i,
          department: deptName.get(i.departmentId ?? '') ?? i.departmentId,
          employeeNo: people.get(i.employeeId)?.employeeNo ?? '',
        })),
        total: list.total,
        waitDays: reminderWaitDays(ctx),
        filtered: !!(query.departmentId || query.orgId),
        counts: { sent: counts.sent ?? 0, joined: counts.joined ?? 0 },
        reminders: { due: reminders.due, waiting: reminders.waiting, nextAt: reminders.nextAt ? sqlDateTime(reminders.nextAt) : null },
        filter: query,
        departments,
        orgs,
        nextUrl: list.nextAfter ? `/union/invitations?${qs}&after=${encodeURIComponent(list.nextAfter)}` : null,
      };
    },
  }),
];
