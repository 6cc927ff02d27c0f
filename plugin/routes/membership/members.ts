import { action, page } from '../../areas/types';
import { getMember, listMembers, memberDetail, memberSeenBy, type MemberFilter } from '../../services/ledger';
import { setStatusByHand } from '../../services/status';
import { exportCsv, exportXlsx } from '../../services/export';
import { listOrgs } from '../../services/orgs';
import type { MembershipStatus } from '../../services/decide';
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
type StatusBody = { status: MembershipStatus; reason: string; until?: string; consentDate?: string; consentRef?: string };
const statusBody = {
  type: 'object',
  required: ['status', 'reason'],
  additionalProperties: false,
  properties: {
    status: { enum: STATUSES },
    reason: { type: 'string', minLength: 1, maxLength: 200 },
    until: { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] },
    consentDate: { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] },
    consentRef: { type: 'string', maxLength: 100 },
  },
};
/** A form sends empty strings for fields left blank. */
const handSet = (b: StatusBody) => ({
  ...b,
  until: b.until || null,
  consentDate: b.consentDate || undefined,
  consentRef: b.consentRef || undefined,
});
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
    cache: 'members',
    run: ({ ctx, user, query }) => listMembers(ctx, query, user.scope),
  }),

  action<ByEmployee, unknown, ListQuery>({
    name: 'members.export',
    method: 'get',
    api: '/api/members/export',
    access: P.membersExport,
    query: listQuery,
    stream: true,
    async run({ ctx, user, lang, query, res }) {
      const { after: _a, limit: _l, format = 'xlsx', ...filter } = query;
      const name = encodeURIComponent(`${t(lang, 'export.filename')}-${ctx.today()}.${format}`);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8');
        await exportCsv(ctx, filter, lang, res, user.scope);
      } else {
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        await exportXlsx(ctx, filter, lang, res, user.scope);
      }
    },
  }),

  // A person may read their own record; staff anyone's within their orgs.
  action<ByEmployee>({
    name: 'members.read',
    method: 'get',
    api: '/api/members/:employeeId',
    access: 'signedIn',
    run: ({ ctx, user, params }) => memberSeenBy(ctx, user, params.employeeId),
  }),

  action<ByEmployee>({
    name: 'members.detail',
    method: 'get',
    api: '/api/members/:employeeId/detail',
    access: P.membersRead,
    run: async ({ ctx, user, params }) => presentDetail(await memberDetail(ctx, params.employeeId, user.scope)),
  }),

  action<ByEmployee, StatusBody>({
    name: 'members.setStatus',
    method: 'post',
    api: '/api/members/:employeeId/status',
    form: '/members/:employeeId/status',
    access: P.membersOverride,
    body: statusBody,
    async run({ ctx, actor, user, params, body }) {
      await setStatusByHand(ctx, actor, params.employeeId, handSet(body), user.scope);
      return getMember(ctx, params.employeeId, user.scope);
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
    cache: 'members',
    async load({ ctx, user, query }) {
      const [list, departments, orgs] = await Promise.all([
        listMembers(ctx, query, user.scope),
        ctx.host.employees.departments(),
        listOrgs(ctx),
      ]);
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
    async load({ ctx, user, lang, params }) {
      const detail = presentDetail(await memberDetail(ctx, params.employeeId, user.scope));
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
