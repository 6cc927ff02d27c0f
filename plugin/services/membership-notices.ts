import type { Subscriber } from '../areas/types';
import { sendNotice } from './notices';

/** Tells people what happened to their membership, after the commit, through the host's notify. */
export const membershipNotices: Subscriber = {
  name: 'membership.notices',
  on: ['membership.joined', 'membership.invited'],
  phase: 'afterCommit',
  async handle(ctx, events) {
    for (const e of events) {
      // People whose years-old membership arrives by a ledger import are not welcomed for it.
      if (e.source === 'import') continue;
      if (e.type === 'membership.joined') {
        await sendNotice(ctx, {
          to: [e.employeeId],
          template: 'union.member.joined',
          key: e.rejoined ? 'members.notices.rejoined' : 'members.notices.joined',
          vars: { memberNo: e.memberNo },
          link: '/union/',
        });
      } else if (e.type === 'membership.invited') {
        await sendNotice(ctx, {
          to: [e.employeeId],
          template: 'union.member.invited',
          key: 'members.notices.invited',
          link: '/union/join',
        });
      }
    }
  },
};
