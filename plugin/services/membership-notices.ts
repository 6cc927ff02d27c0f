import type { Subscriber } from '../areas/types';

/** Tells people what happened to their membership, after the commit, through the host's notify. */
export const membershipNotices: Subscriber = {
  name: 'membership.notices',
  on: ['membership.joined', 'membership.invited'],
  phase: 'afterCommit',
  async handle(ctx, events) {
    for (const e of events) {
      // People whose years-old membership arrives by a ledger import are not welcomed for it.
      if (e.source === 'import') continue;
      const n =
        e.type === 'membership.joined'
          ? { to: [e.employeeId], template: 'union.member.joined', data: { memberNo: e.memberNo, rejoined: e.rejoined } }
          : { to: [e.employeeId], template: 'union.member.invited', data: { url: '/union/join' } };
      try {
        await ctx.host.notify.send({ ...n, channels: ['inapp', 'wecom'] });
      } catch (err) {
        ctx.host.logger.warn({ err, template: n.template }, 'union: notification failed');
      }
    }
  },
};
