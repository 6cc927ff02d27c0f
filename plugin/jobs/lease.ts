import type { Ctx } from '../context';
import { isUniqueViolation } from '../lib/db';
import { sqlDateTime } from '../lib/time';

/**
 * A lease row in MySQL keeps each job to one instance across the host's instances. Taking it is one
 * conditional UPDATE (or the first INSERT), so two instances racing for it cannot both win.
 */
export async function acquireLease(ctx: Ctx, job: string, seconds: number, holder = ctx.instanceId): Promise<boolean> {
  const now = ctx.now();
  const nowSql = sqlDateTime(now);
  const until = sqlDateTime(new Date(now.getTime() + seconds * 1000));
  const taken = await ctx
    .db('union_job_leases')
    .where({ job })
    .andWhere((q) => q.where('expires_at', '<', nowSql).orWhere({ holder }))
    .update({ holder, acquired_at: nowSql, expires_at: until });
  if (taken === 1) return true;
  try {
    await ctx.db('union_job_leases').insert({ job, holder, acquired_at: nowSql, expires_at: until });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function releaseLease(ctx: Ctx, job: string, holder = ctx.instanceId): Promise<void> {
  await ctx.db('union_job_leases').where({ job, holder }).delete();
}

/** Runs `work` only if this instance holds the lease; returns undefined when another instance has it. */
export async function withLease<T>(
  ctx: Ctx,
  job: string,
  seconds: number,
  work: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (!(await acquireLease(ctx, job, seconds))) return { ran: false };
  try {
    return { ran: true, value: await work() };
  } finally {
    await releaseLease(ctx, job);
  }
}
