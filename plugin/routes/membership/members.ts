import { action, page } from '../../areas/types';
import { getMember, listMembers, memberDetail, type MemberFilter } from '../../services/ledger';
import { setStatusByHand } from '../../services/status';
import { exportCsv, exportXlsx } from '../../services/export';
import { listOrgs } from '../../services/orgs';
import type { MembershipStatus } from '../../services/decide';
import { NotFound } from '../../errors';
import { t } from '../../i18n';
import { actorNamer } from '../../services/actor-names';
import { auditActionText } from '../../services/audit-words';
import { P } from './permissions';
import * as present from './present';

const STATUSES = ['pending', 'active', 'retained', 'expired', 'withdrawn'];
const filterProps = {
  status: { enum: STATUSES },
  departmentId: { type: 'string', maxLength: 64 },
  orgId: { type: 'integer', minimum: 1 },
  joinedFrom: { type: 'string', format: 'calendar-date' },
  joinedTo: { type: 'string', format: 'calendar-date' },
  keyword: { type: 'string', maxLength: 64 },
};
type ListQuery = MemberFilter & { after?: number; limit: number; format?: 'xlsx' | 'csv' };
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProps,
    after: { type: 'integer', minimum: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    format: { enum: ['xlsx', 'csv'] },
  },
};
type StatusBody = { status: MembershipStatus; reason: string; until?: string };
const statusBody = {
  type: 'object',
  required: ['status', 'reason'],
  additionalProperties: false,
  properties: {
    status: { enum: STATUSES },
    reason: { type: 'string', minLength: 1, maxLength: 200 },
    until: { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] },
  },
};
type ByEmployee = { employeeId: string };

function presentDetail(d: Awaited<ReturnType<typeof memberDetail>>) {
  return { ...d, history: d.history.map(present.historyEntry), audit: d.audit.map(present.auditEntry) };
}

export const memberEndpoints = [
  action<ByEmployee, unknown, ListQuery>({
    name: 'members.list',
    method: 'get',
    api: '/api/members',
    access: P.membersRead,
    query: listQuery,
    run: ({ ctx, query }) => listMembers(ctx, query),
  }),

  action<ByEmployee, unknown, ListQuery>({
    name: 'members.export',
    method: 'get',
    api: '/api/members/export',
    access: P.membersExport,
    query: listQuery,
    stream: true,
    async run({ ctx, lang, query, res }) {
      const { after: _a, limit: _l, format = 'xlsx', ...filter } = query;
      const name = encodeURIComponent(`${t(lang, 'export.filename')}-${ctx.today()}.${format}`);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8');
        await exportCsv(ctx, filter, lang, res);
      } else {
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        await exportXlsx(ctx, filter, lang, res);
      }
    },
  }),

  // A person may read their own record; staff may read anyone's.
  action<ByEmployee>({
    name: 'members.read',
    method: 'get',
    api: '/api/members/:employeeId',
    access: 'signedIn',
    async run({ ctx, user, params }) {
      if (user.id !== params.employeeId && !user.permissions.has(P.membersRead)) throw new NotFound('This person has no membership record');
      return getMember(ctx, params.employeeId);
    },
  }),

  action<ByEmployee>({
    name: 'members.detail',
    method: 'get',
    api: '/api/members/:employeeId/detail',
    access: P.membersRead,
    run: async ({ ctx, params }) => presentDetail(await memberDetail(ctx, params.employeeId)),
  }),

  action<ByEmployee, StatusBody>({
    name: 'members.setStatus',
    method: 'post',
    api: '/api/members/:employeeId/status',
    form: '/members/:employeeId/status',
    access: P.membersOverride,
    body: statusBody,
    async run({ ctx, actor, params, body }) {
      await setStatusByHand(ctx, actor, params.employeeId, { ...body, until: body.until || null });
      return getMember(ctx, params.employeeId);
    },
    redirect: (_out, { params }) => ({ to: `/union/members/${encodeURIComponent(params.employeeId)}`, flash: 'members.ledger.statusSet' }),
  }),

  page<ByEmployee, ListQuery>({
    name: 'members.ledger',
    path: '/members',
    access: P.membersRead,
    navKey: 'union.members',
    titleKey: 'members.titles.ledger',
    view: 'membership/members',
    query: listQuery,
    async load({ ctx, query }) {
      const [list, departments, orgs] = await Promise.all([listMembers(ctx, query), ctx.host.employees.departments(), listOrgs(ctx)]);
      const deptName = new Map(departments.map((d) => [d.id, d.name]));
      const { after: _after, limit: _limit, format: _f, ...filter } = query;
      const qs = new URLSearchParams(
        Object.entries(filter)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
      return {
        items: list.items.map((i) => ({ ...i, department: deptName.get(i.departmentId ?? '') ?? i.departmentId })),
        total: list.total,
        filter,
        // Folded filters open by themselves when one of them is in use.
        filtered: ['status', 'departmentId', 'orgId', 'joinedFrom', 'joinedTo'].some((k) => filter[k as keyof typeof filter] !== undefined),
        departments,
        orgs,
        statuses: STATUSES,
        exportQs: qs.toString(),
        nextUrl: list.nextAfter ? `/union/members?${qs}&after=${list.nextAfter}` : null,
      };
    },
  }),

  page<ByEmployee>({
    name: 'members.detailPage',
    path: '/members/:employeeId',
    access: P.membersRead,
    navKey: 'union.members',
    titleKey: 'members.titles.detail',
    view: 'membership/member',
    async load({ ctx, lang, params }) {
      const detail = presentDetail(await memberDetail(ctx, params.employeeId));
      const [departments, host, nameOf] = await Promise.all([
        ctx.host.employees.departments(),
        ctx.host.employees.get(params.employeeId),
        actorNamer(ctx, lang, [...detail.history.map((h) => h.actor), ...detail.audit.map((a) => a.actor)]),
      ]);
      return {
        ...detail,
        // 工号 is the host's employee number; the internal id stays out of sight.
        employeeNo: host?.employeeNo ?? null,
        history: detail.history.map((h) => ({ ...h, actorName: nameOf(h.actor) })),
        audit: detail.audit.map((a) => ({ ...a, actorName: nameOf(a.actor), actionText: auditActionText(lang, a.action) })),
        department: departments.find((d) => d.id === detail.person?.departmentId)?.name,
        statuses: STATUSES,
      };
    },
  }),
];
