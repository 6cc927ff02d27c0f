import crypto from 'node:crypto';
import type { Ctx } from '../context';
import { isUniqueViolation } from '../lib/db';
import { sqlDateTime } from '../lib/time';

/** Who holds a job's lease: for the 409 that tells the second caller which run is going. */
export interface LeaseHolder {
  holder: string;
  startedBy: string | null;
  since: string;
  until: string;
}

/**
 * A lease row in MySQL keeps each job to one run across all instances. Each run takes it with its own
 * random token, so two runs on one instance exclude each other as two instances do. Taking it is one
 * conditional UPDATE of an expired row (or the first INSERT), so racers cannot both win.
 * Returns the run's token, or null when the lease is held.
 */
export async function acquireLease(
  ctx: Ctx,
  job: string,
  seconds: number,
  holder = ctx.instanceId,
  startedBy: string | null = null,
): Promise<string | null> {
  const token = crypto.randomBytes(16).toString('hex');
  const now = ctx.now();
  const nowSql = sqlDateTime(now);
  const row = {
    holder,
    token,
    started_by: startedBy?.slice(0, 160) ?? null,
    acquired_at: nowSql,
    expires_at: sqlDateTime(new Date(now.getTime() + seconds * 1000)),
  };
  const taken = await ctx.db('union_job_leases').where({ job }).andWhere('expires_at', '<', nowSql).update(row);
  if (taken === 1) return token;
  try {
    await ctx.db('union_job_leases').insert({ job, ...row });
    return token;
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/** Deletes the lease only if this run still holds it: one that expired and was taken over stays with its new holder. */
export async function releaseLease(ctx: Ctx, job: string, token: string): Promise<boolean> {
  return (await ctx.db('union_job_leases').where({ job, token }).delete()) === 1;
}

/** Pushes the lease's end forward while the run is still going; false if another run has taken it over. */
export async function renewLease(ctx: Ctx, job: string, token: string, seconds: number): Promise<boolean> {
  const until = sqlDateTime(new Date(ctx.now().getTime() + seconds * 1000));
  return (await ctx.db('union_job_leases').where({ job, token }).update({ expires_at: until })) === 1;
}

export async function leaseHolder(ctx: Ctx, job: string): Promise<LeaseHolder | null> {
  const row = await ctx.db('union_job_leases').where({ job }).first();
  if (!row) return null;
  return { holder: row.holder, startedBy: row.started_by ?? null, since: String(row.acquired_at), until: String(row.expires_at) };
}

export type LeaseOutcome<T> = { ran: true; value: T; heldBy?: undefined } | { ran: false; value?: undefined; heldBy: LeaseHolder | null };

/**
 * Runs `work` under the job's lease, renewing it every third of its length so a long run keeps it;
 * when the lease is held, does nothing and says by whom.
 */
export async function withLease<T>(
  ctx: Ctx,
  job: string,
  seconds: number,
  work: () => Promise<T>,
  startedBy: string | null = null,
): Promise<LeaseOutcome<T>> {
  const token = await acquireLease(ctx, job, seconds, ctx.instanceId, startedBy);
  if (!token) return { ran: false, heldBy: await leaseHolder(ctx, job) };
  const renew = setInterval(
    () =>
      void renewLease(ctx, job, token, seconds)
        .then((held) => {
          if (!held) ctx.host.logger.warn({ job }, 'union: a running job lost its lease to another run');
        })
        .catch(() => undefined),
    Math.max(1000, (seconds * 1000) / 3),
  );
  renew.unref();
  try {
    return { ran: true, value: await work() };
  } finally {
    clearInterval(renew);
    await releaseLease(ctx, job, token);
  }
}

/** How long a claimed firing is remembered: longer than any clock skew between instances, shorter than a day. */
const SLOT_MEMORY_SEC = 6 * 3600;

/**
 * Claims one firing of a scheduled job (its job id and the minute cron fired it for), for all instances.
 * The lease alone keeps runs from overlapping; it cannot stop an instance whose cron fires a little later
 * from running the same firing again once the first run has let go. The claim row outlives the run, so
 * the later instance finds it and does nothing. Old claims are removed here, so the table stays small.
 */
export async function claimFiring(ctx: Ctx, jobId: string, slot: string, holder = ctx.instanceId): Promise<boolean> {
  const now = ctx.now();
  const nowSql = sqlDateTime(now);
  await ctx.db('union_job_leases').where('job', 'like', `fired:${jobId}@%`).andWhere('expires_at', '<', nowSql).delete();
  try {
    await ctx.db('union_job_leases').insert({
      job: `fired:${jobId}@${slot}`.slice(0, 64),
      holder,
      token: crypto.randomBytes(16).toString('hex'),
      started_by: null,
      acquired_at: nowSql,
      expires_at: sqlDateTime(new Date(now.getTime() + SLOT_MEMORY_SEC * 1000)),
    });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
