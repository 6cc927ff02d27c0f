import type { Knex } from 'knex';

/** The first and last day of a YYYY-MM period. */
export function periodBounds(period: string): { start: string; end: string } {
  const [y, m] = period.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${period}-01`, end: `${period}-${String(last).padStart(2, '0')}` };
}

/**
 * Narrows `union_memberships as m` to the people who were members at some time during the period: joined
 * on or before its last day and not ended before its first (expired_at is the first day no longer a
 * member). Read from the membership row as it stands: a member who left and rejoined counts from the
 * first join (the row keeps that date), which errs on the side of paying. Pending invitations never count.
 */
export function whereMemberDuring(q: Knex.QueryBuilder, period: string): Knex.QueryBuilder {
  const { start, end } = periodBounds(period);
  return q
    .whereNot('m.status', 'pending')
    .whereNotNull('m.joined_at')
    .where('m.joined_at', '<=', end)
    .where((w) => w.whereNull('m.expired_at').orWhere('m.expired_at', '>', start));
}
