import type { Ctx } from '../context';

/**
 * A number that grows with every change of any membership: the newest history row (applyPlans, the one
 * writer, writes one for each change). Readers that keep a count over memberships compare it to know
 * whether their count still holds.
 */
export async function membershipVersion(ctx: Ctx): Promise<number> {
  const row = await ctx.db('union_membership_history').max({ id: 'id' }).first();
  return Number(row?.id ?? 0);
}
