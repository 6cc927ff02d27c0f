import type { Ctx } from '../context';

/** How many applications are in one state: the total above the approvals list. */
export async function countApplications(ctx: Ctx, status: string): Promise<number> {
  const row = await ctx.db('union_join_applications').where({ status }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
