import { action, page } from '../../areas/types';
import { myOpenApplication } from '../../services/applications';
import { myInvitation } from '../../services/invitations';
import { withdraw } from '../../services/status';
import { ownMembership } from '../../services/ledger';
import * as present from './present';
import { NotFound } from '../../errors';
import { P } from './permissions';

const withdrawBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 200 } },
};

export const meEndpoints = [
  action({
    name: 'me.read',
    method: 'get',
    api: '/api/me',
    access: 'signedIn',
    async run({ ctx, user }) {
      const m = present.ownMembership(await ownMembership(ctx, user.id));
      return {
        id: user.id,
        hostRoles: user.hostRoles,
        roles: user.roles,
        permissions: [...user.permissions].sort(),
        membership: m ? { memberNo: m.memberNo, status: m.status, joinedAt: m.joinedAt, expiredAt: m.expiredAt } : null,
      };
    },
  }),

  action<Record<string, string>, { reason: string }>({
    name: 'me.withdraw',
    method: 'post',
    api: '/api/me/withdraw',
    form: '/me/withdraw',
    access: P.portalView,
    body: withdrawBody,
    async run({ ctx, actor, user, body }) {
      await withdraw(ctx, actor, user.id, body.reason);
      return { ok: true };
    },
    redirect: () => ({ to: '/union/', flash: 'members.withdraw.done' }),
  }),

  page({
    name: 'me.home',
    path: '/',
    access: P.portalView,
    navKey: 'union.home',
    titleKey: 'members.titles.home',
    view: 'membership/home',
    async load({ ctx, user }) {
      const [person, row, application, invitation, departments] = await Promise.all([
        ctx.host.employees.get(user.id),
        ownMembership(ctx, user.id),
        myOpenApplication(ctx, user.id),
        myInvitation(ctx, user.id),
        ctx.host.employees.departments(),
      ]);
      if (!person && !user.roles.some((r) => r !== 'union.member')) throw new NotFound('You are not in the HR system');
      const m = present.ownMembership(row);
      const isMember = m?.status === 'active' || m?.status === 'retained';
      return {
        person,
        department: departments.find((d) => d.id === person?.departmentId)?.name,
        membership: m,
        isMember,
        canApply: !isMember && person?.status === 'employed' && application?.status !== 'submitted',
        notEmployed: !isMember && person && person.status !== 'employed',
        application,
        // A rejection answers the invitation: the person is not asked again by a stale one.
        invitation: invitation?.status === 'sent' && application?.status !== 'rejected' ? invitation : null,
        canWithdraw: m?.status === 'active',
      };
    },
  }),
];
