import type { Subscriber } from '../areas/types';
import { sendNotice } from './notices';

const CONCURRENT_NOTICES = 8;

/** Tells people what happened to their membership, after the commit, through the host's notify. */
export const membershipNotices: Subscriber = {
  name: 'membership.notices',
  on: ['membership.joined', 'membership.invited'],
  phase: 'afterCommit',
  async handle(ctx, events) {
    // A sync that enrols hundreds sends hundreds of notices: a few at a time, not one round trip after another.
    const notices = events.filter((e) => e.source !== 'import' && (e.type === 'membership.joined' || e.type === 'membership.invited'));
    let next = 0;
    const worker = async () => {
      while (next < notices.length) {
        const e = notices[next++];
        // People whose years-old membership arrives by a ledger import are not welcomed for it (filtered above).
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
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_NOTICES, notices.length) }, worker));
  },
};
