import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { currentUser, requirePermission, scopeOf } from '../auth';
import { renderPage } from '../views/render';
import { getMember, listMembers, memberDetail, memberSeenBy, type MemberFilter } from '../services/ledger';
import { setStatusByHand } from '../services/status';
import { exportCsv, exportXlsx } from '../services/export';
import { listOrgs } from '../services/orgs';
import type { MembershipStatus } from '../services/decide';
import { bodyValidator, queryValidator } from './validate';
import { actorOf, flashFrom, lang, withFlash, param } from './helpers';
import { t } from '../i18n';

const STATUSES = ['pending', 'active', 'retained', 'expired', 'withdrawn'];
const filterProps = {
  status: { enum: STATUSES },
  departmentId: { type: 'string', maxLength: 64 },
  orgId: { type: 'integer', minimum: 1 },
  joinedFrom: { type: 'string', format: 'calendar-date' },
  joinedTo: { type: 'string', format: 'calendar-date' },
  keyword: { type: 'string', maxLength: 64 },
};
const listQuery = queryValidator<MemberFilter & { format?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProps,
    after: { type: 'integer', minimum: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    format: { enum: ['xlsx', 'csv'] },
    lang: { enum: ['zh-CN', 'en'] },
    flash: { type: 'string' },
    kind: { type: 'string' },
  },
});
const statusBody = bodyValidator<{ status: MembershipStatus; reason: string; until?: string; consentDate?: string; consentRef?: string }>({
  type: 'object',
  required: ['status', 'reason'],
  additionalProperties: false,
  properties: {
    status: { enum: STATUSES },
    reason: { type: 'string', minLength: 1, maxLength: 200 },
    until: { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] },
    consentDate: { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] },
    consentRef: { type: 'string', maxLength: 100 },
    _csrf: { type: 'string' },
  },
});

const handSet = (b: ReturnType<typeof statusBody>) => ({
  ...b,
  until: b.until || null,
  consentDate: b.consentDate || undefined,
  consentRef: b.consentRef || undefined,
});

export function memberRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;
  const read = requirePermission('union.members.read');

  r.get('/api/members', read, async (req, res) => {
    res.json(await listMembers(ctx, listQuery(req), scopeOf(res)));
  });

  r.get('/api/members/export', requirePermission('union.members.export'), async (req, res) => {
    const { after: _a, limit: _l, format = 'xlsx', ...filter } = listQuery(req);
    const name = encodeURIComponent(`${t(lang(res), 'export.filename')}-${ctx.today()}.${format}`);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      await exportCsv(ctx, filter, lang(res), res, scopeOf(res));
    } else {
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await exportXlsx(ctx, filter, lang(res), res, scopeOf(res));
    }
  });

  // A person may read their own record; staff anyone's within their orgs.
  r.get('/api/members/:employeeId', async (req, res) => {
    res.json(await memberSeenBy(ctx, currentUser(res), param(req, 'employeeId')));
  });

  r.get('/api/members/:employeeId/detail', read, async (req, res) => {
    res.json(await memberDetail(ctx, param(req, 'employeeId'), scopeOf(res)));
  });

  r.post('/api/members/:employeeId/status', requirePermission('union.members.override'), async (req, res) => {
    const body = statusBody(req);
    await setStatusByHand(ctx, actorOf(res), param(req, 'employeeId'), handSet(body), scopeOf(res));
    res.json(await getMember(ctx, param(req, 'employeeId'), scopeOf(res)));
  });

  r.get('/members', read, async (req, res) => {
    const q = listQuery(req);
    const [page, departments, orgs] = await Promise.all([
      listMembers(ctx, q, scopeOf(res)),
      ctx.host.employees.departments(),
      listOrgs(ctx),
    ]);
    const deptName = new Map(departments.map((d) => [d.id, d.name]));
    const { after: _after, limit: _limit, format: _f, ...filter } = q;
    const qs = new URLSearchParams(
      Object.entries(filter)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    renderPage(deps, req, res, 'members', {
      titleKey: 'members.titles.ledger',
      navKey: 'union.members',
      flash: flashFrom(req, res),
      items: page.items.map((i) => ({ ...i, department: deptName.get(i.departmentId ?? '') ?? i.departmentId })),
      filter,
      departments,
      orgs,
      statuses: STATUSES,
      exportQs: qs.toString(),
      nextUrl: page.nextAfter ? `/union/members?${qs}&after=${page.nextAfter}` : null,
    });
  });

  r.get('/members/:employeeId', read, async (req, res) => {
    const detail = await memberDetail(ctx, param(req, 'employeeId'), scopeOf(res));
    const departments = await ctx.host.employees.departments();
    renderPage(deps, req, res, 'member', {
      titleKey: 'members.titles.detail',
      navKey: 'union.members',
      flash: flashFrom(req, res),
      ...detail,
      department: departments.find((d) => d.id === detail.person?.departmentId)?.name,
      statuses: STATUSES,
    });
  });

  r.post('/members/:employeeId/status', requirePermission('union.members.override'), async (req, res) => {
    const body = statusBody(req);
    await setStatusByHand(ctx, actorOf(res), param(req, 'employeeId'), handSet(body), scopeOf(res));
    res.redirect(303, withFlash(`/union/members/${encodeURIComponent(param(req, 'employeeId'))}`, 'members.ledger.statusSet'));
  });
  return r;
}
