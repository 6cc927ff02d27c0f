import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { currentUser, requirePermission } from '../auth';
import { renderPage } from '../views/render';
import { getMember, listMembers, memberDetail, type MemberFilter } from '../services/ledger';
import { setStatusByHand } from '../services/status';
import { exportCsv, exportXlsx } from '../services/export';
import { listOrgs } from '../services/orgs';
import type { MembershipStatus } from '../services/decide';
import { bodyValidator, queryValidator } from './validate';
import { actorOf, flashFrom, lang, withFlash, param } from './helpers';
import { NotFound } from '../errors';
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
const statusBody = bodyValidator<{ status: MembershipStatus; reason: string; until?: string }>({
  type: 'object',
  required: ['status', 'reason'],
  additionalProperties: false,
  properties: {
    status: { enum: STATUSES },
    reason: { type: 'string', minLength: 1, maxLength: 200 },
    until: { anyOf: [{ type: 'string', format: 'calendar-date' }, { const: '' }] },
    _csrf: { type: 'string' },
  },
});

export function memberRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;
  const read = requirePermission('union.members.read');

  r.get('/api/members', read, async (req, res) => {
    res.json(await listMembers(ctx, listQuery(req)));
  });

  r.get('/api/members/export', requirePermission('union.members.export'), async (req, res) => {
    const { after: _a, limit: _l, format = 'xlsx', ...filter } = listQuery(req);
    const name = encodeURIComponent(`${t(lang(res), 'export.filename')}-${ctx.today()}.${format}`);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      await exportCsv(ctx, filter, lang(res), res);
    } else {
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await exportXlsx(ctx, filter, lang(res), res);
    }
  });

  // A person may read their own record; staff may read anyone's.
  r.get('/api/members/:employeeId', async (req, res) => {
    const user = currentUser(res);
    if (user.id !== param(req, 'employeeId') && !user.permissions.has('union.members.read'))
      throw new NotFound('This person has no membership record');
    res.json(await getMember(ctx, param(req, 'employeeId')));
  });

  r.get('/api/members/:employeeId/detail', read, async (req, res) => {
    res.json(await memberDetail(ctx, param(req, 'employeeId')));
  });

  r.post('/api/members/:employeeId/status', requirePermission('union.members.override'), async (req, res) => {
    const body = statusBody(req);
    await setStatusByHand(ctx, actorOf(res), param(req, 'employeeId'), { ...body, until: body.until || null });
    res.json(await getMember(ctx, param(req, 'employeeId')));
  });

  r.get('/members', read, async (req, res) => {
    const q = listQuery(req);
    const [page, departments, orgs] = await Promise.all([listMembers(ctx, q), ctx.host.employees.departments(), listOrgs(ctx)]);
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
    const detail = await memberDetail(ctx, param(req, 'employeeId'));
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
    await setStatusByHand(ctx, actorOf(res), param(req, 'employeeId'), { ...body, until: body.until || null });
    res.redirect(303, withFlash(`/union/members/${encodeURIComponent(param(req, 'employeeId'))}`, 'members.ledger.statusSet'));
  });
  return r;
}
