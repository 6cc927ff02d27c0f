import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { requirePermission, scopeOf } from '../auth';
import { renderPage } from '../views/render';
import { createOrg, deleteOrg, listOrgs, mapDepartments } from '../services/orgs';
import { listOfficers, officersByOrg, officersFromForm, setOfficers, type Officer } from '../services/officers';
import { bodyValidator } from './validate';
import { actorOf, flashFrom, withFlash, param } from './helpers';
import { NotFound } from '../errors';

const orgBody = bodyValidator<{ name: string; parentId: number | string; level: 'branch' | 'group' }>({
  type: 'object',
  required: ['name', 'parentId', 'level'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    parentId: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: '^[1-9][0-9]*$' },
      ],
    },
    level: { enum: ['branch', 'group'] },
    _csrf: { type: 'string' },
  },
});
const mapBody = bodyValidator<{ departmentIds: string[] | string }>({
  type: 'object',
  required: ['departmentIds'],
  additionalProperties: false,
  properties: {
    departmentIds: {
      anyOf: [
        { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 64 } },
        { type: 'string', minLength: 1, maxLength: 64 },
      ],
    },
    _csrf: { type: 'string' },
  },
});
const officersBody = bodyValidator<{ officers: Officer[] }>({
  type: 'object',
  required: ['officers'],
  additionalProperties: false,
  properties: {
    officers: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        required: ['employeeId', 'role'],
        additionalProperties: false,
        properties: { employeeId: { type: 'string', minLength: 1, maxLength: 64 }, role: { enum: ['staff', 'chair'] } },
      },
    },
    _csrf: { type: 'string' },
  },
});
const officersForm = bodyValidator<{ chairIds?: string; staffIds?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { chairIds: { type: 'string', maxLength: 2000 }, staffIds: { type: 'string', maxLength: 2000 }, _csrf: { type: 'string' } },
});
const orgId = (raw: string) => {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new NotFound('No such union org');
  return id;
};
const asList = (v: string[] | string) => (Array.isArray(v) ? v : [v]);

export function orgRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;
  const manage = requirePermission('union.orgs.manage');

  r.get('/api/orgs', requirePermission('union.members.read'), async (_req, res) => {
    res.json({ items: await listOrgs(ctx) });
  });
  r.post('/api/orgs', manage, async (req, res) => {
    const b = orgBody(req);
    res.status(201).json({ id: await createOrg(ctx, actorOf(res), { ...b, parentId: Number(b.parentId) }, scopeOf(res)) });
  });
  r.put('/api/orgs/:id/departments', manage, async (req, res) => {
    const ids = asList(mapBody(req).departmentIds);
    await mapDepartments(ctx, actorOf(res), orgId(param(req, 'id')), ids, scopeOf(res));
    res.json({ ok: true });
  });
  r.get('/api/orgs/:id/officers', manage, async (req, res) => {
    res.json({ items: await listOfficers(ctx, orgId(param(req, 'id')), scopeOf(res)) });
  });
  r.put('/api/orgs/:id/officers', manage, async (req, res) => {
    await setOfficers(ctx, actorOf(res), orgId(param(req, 'id')), officersBody(req).officers, scopeOf(res));
    res.json({ ok: true });
  });
  r.delete('/api/orgs/:id', manage, async (req, res) => {
    await deleteOrg(ctx, actorOf(res), orgId(param(req, 'id')), scopeOf(res));
    res.status(204).end();
  });

  r.get('/orgs', manage, async (req, res) => {
    const [orgs, departments, officers] = await Promise.all([listOrgs(ctx), ctx.host.employees.departments(), officersByOrg(ctx)]);
    const deptName = new Map(departments.map((d) => [d.id, d.name]));
    renderPage(deps, req, res, 'orgs', {
      titleKey: 'members.titles.orgs',
      navKey: 'union.orgs',
      flash: flashFrom(req, res),
      departments,
      orgs: orgs.map((o) => ({
        ...o,
        departmentNames: o.departments.map((d) => deptName.get(d) ?? d).join('、'),
        officers: officers.get(o.id) ?? [],
        chairIds: (officers.get(o.id) ?? [])
          .filter((x) => x.role === 'chair')
          .map((x) => x.employeeId)
          .join(' '),
        staffIds: (officers.get(o.id) ?? [])
          .filter((x) => x.role === 'staff')
          .map((x) => x.employeeId)
          .join(' '),
      })),
    });
  });
  r.post('/orgs', manage, async (req, res) => {
    const b = orgBody(req);
    await createOrg(ctx, actorOf(res), { ...b, parentId: Number(b.parentId) }, scopeOf(res));
    res.redirect(303, withFlash('/union/orgs', 'members.orgs.saved'));
  });
  r.post('/orgs/:id/departments', manage, async (req, res) => {
    const ids = asList(mapBody(req).departmentIds);
    await mapDepartments(ctx, actorOf(res), orgId(param(req, 'id')), ids, scopeOf(res));
    res.redirect(303, withFlash('/union/orgs', 'members.orgs.saved'));
  });
  r.post('/orgs/:id/officers', manage, async (req, res) => {
    const b = officersForm(req);
    await setOfficers(ctx, actorOf(res), orgId(param(req, 'id')), officersFromForm(b.chairIds ?? '', b.staffIds ?? ''), scopeOf(res));
    res.redirect(303, withFlash('/union/orgs', 'members.orgs.saved'));
  });
  return r;
}
