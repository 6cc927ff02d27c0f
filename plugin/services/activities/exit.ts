import type { Subscriber } from '../../areas/types';
import { notifyPlaces } from './notices';
import { releaseForExit } from './registrations';

/**
 * An exit releases places: when a membership expires, is retained (retirement) or withdrawn, the
 * person's registrations and waitlist tickets for activities not yet started are cancelled in the
 * same transaction, and the waitlist is promoted there too. The promoted hear of it after the commit.
 */
export const releasePlacesOnExit: Subscriber = {
  name: 'activities.releaseOnExit',
  on: ['membership.expired', 'membership.retained', 'membership.withdrew'],
  phase: 'inTransaction',
  async handle(ctx, events, tx) {
    if (!tx) return;
    const ids = [...new Set(events.map((e) => ('employeeId' in e ? e.employeeId : '')).filter(Boolean))];
    const changes = await releaseForExit(ctx, tx.trx, tx.actor, ids);
    if (!changes.length) return;
    // executionPromise settles with the writer's transaction: notices go out only if it committed.
    tx.trx.executionPromise.then(
      () => notifyPlaces(ctx, changes),
      () => undefined,
    );
  },
};
