import cron, { type ScheduledTask } from 'node-cron';
import type { Ctx } from '../context';
import { ConfigError } from '../errors';
import { errorShape } from '../lib/log-safe';
import { claimFiring, withLease, type LeaseOutcome } from './lease';
import { dateIn } from '../lib/time';

import type { Actor } from '../context';

/** Who started a run: the schedule, a person pressing the job's button, or enabling the module (catch-up). */
export interface JobTrigger {
  trigger: 'schedule' | 'button' | 'enable';
  actor: Actor;
  /** Stops a long run between pages (disabling the module does this). */
  signal?: AbortSignal;
  /** The minute a scheduled firing is for: each firing runs on one instance only, even one whose cron fires later. */
  slot?: string;
}

export type JobRunner = (ctx: Ctx, by: JobTrigger) => Promise<unknown>;

/** Starts the manifest's jobs with node-cron; each firing runs on one instance only (a lease in MySQL). */
export class Scheduler {
  private tasks: ScheduledTask[] = [];

  constructor(
    private ctx: Ctx,
    private runners: Record<string, JobRunner>,
  ) {}

  cronFor(jobId: string, fallback: string): string {
    if (jobId === 'reconcile' && this.ctx.settings.jobs.reconcileCron) return this.ctx.settings.jobs.reconcileCron;
    return fallback;
  }

  start(): void {
    if (!this.ctx.settings.jobs.enabled) return;
    for (const job of this.ctx.manifest.jobs) {
      const runner = this.runners[job.id];
      if (!runner)
        throw new ConfigError(`manifest job ${job.id} has no runner`, [{ path: `manifest.jobs.${job.id}`, message: 'has no runner' }]);
      const expr = this.cronFor(job.id, job.cron);
      if (!cron.validate(expr))
        throw new ConfigError(`job ${job.id} has an invalid cron expression`, [
          { path: `manifest.jobs.${job.id}.cron`, message: `is not a cron expression: ${expr}` },
        ]);
      // A failed scheduled run is logged in run(); the next firing (or the button) tries again.
      const task = cron.schedule(
        expr,
        (fired) => {
          // The time cron matched (the same minute on every instance), not when this one got round to it.
          const at = fired?.date instanceof Date ? fired.date : this.ctx.now();
          const slot = firingSlot(at, job.timezone);
          return this.run(job.id, { trigger: 'schedule', actor: { id: `job:${job.id}`, kind: 'job' }, slot }).catch(() => undefined);
        },
        { timezone: job.timezone, name: `union:${job.id}` },
      );
      this.tasks.push(task);
    }
  }

  /**
   * Runs a job now under its lease; used by cron and by buttons that trigger the same work. When another
   * run holds the lease (on any instance, this one included) nothing runs and `heldBy` says whose it is.
   */
  async run(jobId: string, by: JobTrigger): Promise<LeaseOutcome<unknown>> {
    const runner = this.runners[jobId];
    try {
      if (by.slot && !(await claimFiring(this.ctx, jobId, by.slot))) return { ran: false, heldBy: null };
      const startedBy = `${by.trigger}:${by.actor.id}`;
      return await withLease(this.ctx, `job:${jobId}`, this.ctx.settings.jobs.leaseSeconds, () => runner(this.ctx, by), startedBy);
    } catch (err) {
      this.ctx.host.logger.error({ err: errorShape(err), job: jobId, trigger: by.trigger }, 'union: job failed');
      throw err;
    }
  }

  stop(): void {
    // destroy() also drops the task from node-cron's registry, so enabling again can reuse the names.
    for (const t of this.tasks) void t.destroy();
    this.tasks = [];
  }

  get running(): number {
    return this.tasks.length;
  }
}

/** The minute a firing is for, on the job's own clock: 'YYYY-MM-DDTHH:mm'. */
export function firingSlot(at: Date, timezone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${dateIn(timezone, at)}T${time}`;
}
