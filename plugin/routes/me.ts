import express, { type Router } from 'express';
import type { RouteDeps } from '.';
import { currentUser, requirePermission } from '../auth';
import { renderPage } from '../views/render';
import { myOpenApplication } from '../services/applications';
import { myInvitation } from '../services/invitations';
import { withdraw } from '../services/status';
import { ownMembership } from '../services/ledger';
import { bodyValidator } from './validate';
import { actorOf, flashFrom } from './helpers';
import { NotFound } from '../errors';

const withdrawBody = bodyValidator<{ reason: string }>({
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 200 }, _csrf: { type: 'string' } },
});

export function meRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;

  r.get('/api/me', async (_req, res) => {
    const user = currentUser(res);
    const m = await ownMembership(ctx, user.id);
    res.json({
      id: user.id,
      hostRoles: user.hostRoles,
      roles: user.roles,
      permissions: [...user.permissions].sort(),
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
      ctx.host.employees.get(user.id),
      ownMembership(ctx, user.id),
      myOpenApplication(ctx, user.id),
      myInvitation(ctx, user.id),
      ctx.host.employees.departments(),
    ]);
    if (!person && !user.roles.some((r) => r !== 'union.member')) throw new NotFound('You are not in the HR system');
    const isMember = m?.status === 'active' || m?.status === 'retained';
    renderPage(deps, req, res, 'home', {
      titleKey: 'members.titles.home',
      navKey: 'union.home',
      flash: flashFrom(req, res),
      person,
      department: departments.find((d) => d.id === person?.departmentId)?.name,
      membership: m,
      isMember,
      canApply: !isMember && person?.status === 'employed' && application?.status !== 'submitted',
      notEmployed: !isMember && person && person.status !== 'employed',
      application,
      invitation: invitation?.status === 'sent' ? invitation : null,
    });
  });
  return r;
}
