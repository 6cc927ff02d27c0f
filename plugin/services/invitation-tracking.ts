import type { Subscriber } from '../areas/types';
import { chunks } from '../lib/db';

/**
 * Invitations follow memberships: an invite transition records (or renews) the invitation, and a
 * join marks an open one as answered. Runs in the writer's transaction, so both agree or neither.
 */
export const invitationTracking: Subscriber = {
  name: 'membership.invitations',
  on: ['membership.invited', 'membership.joined'],
  phase: 'inTransaction',
  async handle(ctx, events, tx) {
    const { trx, actorFor } = tx!;
    const now = ctx.nowSql();
    const invited = events.filter((e) => e.type === 'membership.invited').map((e) => e.employeeId);
    for (const batch of chunks(invited, 500)) {
      await trx('union_invitations')
        .insert(
          batch.map((employee_id) => ({ employee_id, status: 'sent', invited_by: actorFor(employee_id).id, sent_at: now, reminders: 0 })),
        )
        .onConflict('employee_id')
        .merge(['status', 'invited_by', 'sent_at']);
    }
    const joined = events.filter((e) => e.type === 'membership.joined').map((e) => e.employeeId);
    for (const batch of chunks(joined, 1000)) {
      await trx('union_invitations').whereIn('employee_id', batch).where({ status: 'sent' }).update({ status: 'joined', joined_at: now });
    }
  },
};
