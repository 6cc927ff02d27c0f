import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { currentUser, requirePermission } from '../auth';
import { renderPage } from '../views/render';
import { myOpenApplication } from '../services/applications';
import { myInvitation } from '../services/invitations';
import { withdraw } from '../services/status';
import { bodyValidator } from './validate';
import { actorOf, flashFrom } from './helpers';
import { NotFound } from '../errors';

const withdrawBody = bodyValidator<{ reason: string }>({
  type: 'object', required: ['reason'], additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 200 }, _csrf: { type: 'string' } },
});

async function myMembership(deps: RouteDeps, employeeId: string) {
  const m = await deps.ctx.db('union_memberships as m').leftJoin('union_orgs as o', 'o.id', 'm.org_id')
    .where('m.employee_id', employeeId).first('m.member_no', 'm.status', 'm.joined_at', 'm.expired_at', 'o.name as org_name');
  return m ?? null;
}

export function meRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;

  r.get('/api/me', async (_req, res) => {
    const user = currentUser(res);
    const m = await myMembership(deps, user.id);
    res.json({
      id: user.id, hostRoles: user.hostRoles, roles: user.roles, permissions: [...user.permissions].sort(),
      membership: m ? { memberNo: m.member_no, status: m.status, joinedAt: m.joined_at, expiredAt: m.expired_at } : null,
    });
  });

  r.post('/api/me/withdraw', requirePermission('union.portal.view'), async (req, res) => {
    const body = withdrawBody(req);
    await withdraw(ctx, actorOf(res), currentUser(res).id, body.reason);
    res.json({ ok: true });
  });

  r.get('/', requirePermission('union.portal.view'), async (req, res) => {
    const user = currentUser(res);
    const [person, m, application, invitation, departments] = await Promise.all([
      ctx.host.employees.get(user.id), myMembership(deps, user.id), myOpenApplication(ctx, user.id), myInvitation(ctx, user.id), ctx.host.employees.departments(),
    ]);
    if (!person && !user.roles.some((r) => r !== 'union.member')) throw new NotFound('You are not in the HR system');
    const isMember = m?.status === 'active' || m?.status === 'retained';
    renderPage(deps, req, res, 'home', {
      titleKey: 'members.titles.home', navKey: 'union.home', flash: flashFrom(req, res),
      person, department: departments.find((d) => d.id === person?.departmentId)?.name,
      membership: m, isMember,
      canApply: !isMember && person?.status === 'employed' && application?.status !== 'submitted',
      notEmployed: !isMember && person && person.status !== 'employed',
      application, invitation: invitation?.status === 'sent' ? invitation : null,
    });
  });
  return r;
}
