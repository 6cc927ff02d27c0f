import type { Ctx } from '../context';
import { errorShape } from '../lib/log-safe';
import type { LeaseOutcome } from './lease';
import type { JobTrigger } from './scheduler';

/**
 * Enabling the module again catches up on the hires, exits and transfers made while it was off (no
 * events reached it then). The reconciliation runs in the background under the job's lease, so enable
 * returns at once however large the company; the run is reported like any other (trigger `enable`).
 * Disabling stops it between pages and waits for it, so nothing runs on in a disabled module.
 */
export class CatchUp {
  private running: Promise<void> | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly ctx: Ctx,
    private readonly run: (by: JobTrigger) => Promise<LeaseOutcome<unknown>>,
  ) {}

  start(): void {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.run({ trigger: 'enable', actor: { id: 'system:enable', kind: 'system' }, signal: abort.signal })
      .then((outcome) => {
        // A run already going reads the host now, so it covers what happened while the module was off.
        if (!outcome.ran) this.ctx.host.logger.info({ heldBy: outcome.heldBy?.startedBy }, 'union: catch-up left to the running sync');
      })
      .catch((err) => {
        if (!abort.signal.aborted)
          this.ctx.host.logger.warn({ err: errorShape(err) }, 'union: catch-up after enable failed; the next sync repairs it');
      })
      .finally(() => {
        this.running = null;
        this.abort = null;
      });
  }

  /** Stops a catch-up still running and waits until it has let go of its lease. */
  async stop(): Promise<void> {
    this.abort?.abort(new Error('stopped: the module was disabled'));
    await this.running;
  }

  get busy(): boolean {
    return this.running !== null;
  }
}
