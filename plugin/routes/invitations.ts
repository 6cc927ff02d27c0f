import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { requirePermission, scopeOf } from '../auth';
import { renderPage } from '../views/render';
import { invitationCounts, invite, listNonMembers, remind } from '../services/invitations';
import { listOrgs } from '../services/orgs';
import { bodyValidator, queryValidator } from './validate';
import { actorOf, flashFrom, withFlash } from './helpers';

const candidatesQuery = queryValidator<{ departmentId?: string; orgId?: number; after?: string; limit: number }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    departmentId: { type: 'string', maxLength: 64 },
    orgId: { type: 'integer', minimum: 1 },
    after: { type: 'string', maxLength: 64 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    lang: { type: 'string' },
    flash: { type: 'string' },
    kind: { type: 'string' },
    v_n: { type: 'string' },
  },
});
const inviteBody = bodyValidator<{
  employeeIds?: string[] | string;
  all?: boolean | string;
  departmentId?: string;
  orgId?: number | string;
}>({
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
    _csrf: { type: 'string' },
  },
});
const remindBody = bodyValidator<{ employeeIds?: string[] }>({
  type: 'object',
  additionalProperties: false,
  properties: { employeeIds: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 5000 }, _csrf: { type: 'string' } },
});

function target(b: ReturnType<typeof inviteBody>) {
  return {
    employeeIds: b.employeeIds === undefined ? undefined : Array.isArray(b.employeeIds) ? b.employeeIds : [b.employeeIds],
    all: b.all === true || b.all === '1' || b.all === 'true' || b.all === 'on',
    departmentId: b.departmentId || undefined,
    orgId: b.orgId ? Number(b.orgId) : undefined,
  };
}

export function invitationRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;
  const manage = requirePermission('union.members.manage');

  r.get('/api/invitations/candidates', manage, async (req, res) => {
    res.json(await listNonMembers(ctx, candidatesQuery(req), scopeOf(res)));
  });
  r.post('/api/invitations', manage, async (req, res) => {
    res.status(201).json(await invite(ctx, actorOf(res), target(inviteBody(req)), scopeOf(res)));
  });
  r.post('/api/invitations/remind', manage, async (req, res) => {
    res.json(await remind(ctx, actorOf(res), remindBody(req).employeeIds, scopeOf(res)));
  });

  r.get('/invitations', manage, async (req, res) => {
    const q = candidatesQuery(req);
    const [page, counts, departments, orgs] = await Promise.all([
      listNonMembers(ctx, q, scopeOf(res)),
      invitationCounts(ctx, scopeOf(res)),
      ctx.host.employees.departments(),
      listOrgs(ctx),
    ]);
    const deptName = new Map(departments.map((d) => [d.id, d.name]));
    const qs = new URLSearchParams(
      Object.entries({ departmentId: q.departmentId, orgId: q.orgId })
        .filter(([, v]) => v)
        .map(([k, v]) => [k, String(v)]),
    );
    renderPage(deps, req, res, 'invitations', {
      titleKey: 'members.titles.invitations',
      navKey: 'union.invitations',
      flash: flashFrom(req, res),
      items: page.items.map((i) => ({ ...i, department: deptName.get(i.department_id) ?? i.department_id })),
      total: page.total,
      counts: { sent: counts.sent ?? 0, joined: counts.joined ?? 0 },
      filter: q,
      departments,
      orgs,
      nextUrl: page.nextAfter ? `/union/invitations?${qs}&after=${encodeURIComponent(page.nextAfter)}` : null,
    });
  });
  r.post('/invitations', manage, async (req, res) => {
    const result = await invite(ctx, actorOf(res), target(inviteBody(req)), scopeOf(res));
    res.redirect(303, withFlash('/union/invitations', 'members.invitations.sent', { n: result.invited }));
  });
  r.post('/invitations/remind', manage, async (req, res) => {
    const result = await remind(ctx, actorOf(res), undefined, scopeOf(res));
    res.redirect(303, withFlash('/union/invitations', 'members.invitations.reminded', { n: result.reminded }));
  });
  return r;
}
