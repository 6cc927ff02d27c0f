import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { currentUser, requirePermission, scopeOf } from '../auth';
import { renderPage } from '../views/render';
import { approveApplication, listApplications, rejectApplication, submitApplication, CONSENT_TEXT_VERSION } from '../services/applications';
import { bodyValidator, queryValidator } from './validate';
import { actorOf, flashFrom, withFlash, param } from './helpers';
import { NotFound } from '../errors';

const applyBody = bodyValidator<{ consent: boolean | string; note?: string }>({
  type: 'object',
  required: ['consent'],
  additionalProperties: false,
  properties: {
    consent: { anyOf: [{ type: 'boolean' }, { const: 'on' }, { const: 'true' }] },
    note: { type: 'string', maxLength: 500 },
    _csrf: { type: 'string' },
  },
});
const rejectBody = bodyValidator<{ reason: string }>({
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500 }, _csrf: { type: 'string' } },
});
const listQuery = queryValidator<{ status: string; after?: number; limit: number }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['submitted', 'approved', 'rejected'], default: 'submitted' },
    after: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    flash: { type: 'string' },
    kind: { type: 'string' },
    v_memberNo: { type: 'string' },
    lang: { type: 'string' },
  },
});
const idParam = (raw: string) => {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new NotFound('No such application');
  return id;
};

export function joinRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;
  const apply = requirePermission('union.join.apply');
  const approve = requirePermission('union.members.approve');

  r.get('/join', apply, async (req, res) => {
    const user = currentUser(res);
    const [person, departments] = await Promise.all([ctx.host.employees.get(user.id), ctx.host.employees.departments()]);
    if (!person) throw new NotFound('You are not in the HR system');
    renderPage(deps, req, res, 'join', {
      titleKey: 'members.titles.join',
      navKey: 'union.home',
      person,
      department: departments.find((d) => d.id === person.departmentId)?.name,
      consentVersion: CONSENT_TEXT_VERSION,
      error: req.query.error === 'consent',
    });
  });

  r.post('/join', apply, async (req, res) => {
    if (!req.body?.consent) return res.redirect(303, '/union/join?error=consent');
    const body = applyBody(req);
    await submitApplication(ctx, actorOf(res), currentUser(res).id, { consent: true, note: body.note || undefined });
    res.redirect(303, withFlash('/union/', 'members.join.submitted'));
  });

  r.post('/api/join-applications', apply, async (req, res) => {
    const body = applyBody(req);
    const id = await submitApplication(ctx, actorOf(res), currentUser(res).id, {
      consent: body.consent === true || body.consent === 'on' || body.consent === 'true',
      note: body.note,
    });
    res.status(201).json({ id });
  });

  r.get('/api/join-applications', approve, async (req, res) => {
    const q = listQuery(req);
    res.json(await listApplications(ctx, { status: q.status, afterId: q.after, limit: q.limit }, scopeOf(res)));
  });

  r.post('/api/join-applications/:id/approve', approve, async (req, res) => {
    res.json(await approveApplication(ctx, actorOf(res), idParam(param(req, 'id')), scopeOf(res)));
  });

  r.post('/api/join-applications/:id/reject', approve, async (req, res) => {
    await rejectApplication(ctx, actorOf(res), idParam(param(req, 'id')), rejectBody(req).reason, scopeOf(res));
    res.json({ ok: true });
  });

  r.get('/applications', approve, async (req, res) => {
    const q = listQuery(req);
    const page = await listApplications(ctx, { status: q.status, afterId: q.after, limit: q.limit }, scopeOf(res));
    renderPage(deps, req, res, 'applications', {
      titleKey: 'members.titles.applications',
      navKey: 'union.applications',
      flash: flashFrom(req, res),
      status: q.status,
      ...page,
      nextUrl: page.nextAfter ? `/union/applications?status=${q.status}&after=${page.nextAfter}` : null,
    });
  });

  r.post('/applications/:id/approve', approve, async (req, res) => {
    const { memberNo } = await approveApplication(ctx, actorOf(res), idParam(param(req, 'id')), scopeOf(res));
    res.redirect(303, withFlash('/union/applications', 'members.applications.approved', { memberNo }));
  });

  r.post('/applications/:id/reject', approve, async (req, res) => {
    await rejectApplication(ctx, actorOf(res), idParam(param(req, 'id')), rejectBody(req).reason, scopeOf(res));
    res.redirect(303, withFlash('/union/applications', 'members.applications.rejected'));
  });
  return r;
}
