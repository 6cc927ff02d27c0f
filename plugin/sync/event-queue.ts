/**
 * Group commit for webhook deliveries: while one batch is being written, the deliveries that arrive
 * queue up, and the next batch takes them all (up to MAX_BATCH) as soon as the previous one commits.
 * So a lone event is written at once, and under load a batch gathers exactly as long as a commit
 * takes, without a timer. Each delivery is answered only after the batch holding it has committed, its
 * notices have gone out and its new events have been relayed to the other areas. That after-commit work
 * runs beside the next batch's write, one batch at a time in commit order, so the areas see events in
 * the order they were applied.
 */
import type { Ctx } from '../context';
import { writeEvents, type Delivery, type IngestOutcome } from './event-batch';

const MAX_BATCH = 64;
/**
 * Batches written at the same time by one instance. One keeps batches of an instance from waiting on
 * each other's rows; the host's work (HTTP, signatures) already overlaps the database's meanwhile.
 */
const MAX_IN_FLIGHT = 1;

interface Waiting {
  delivery: Delivery;
  resolve(outcome: IngestOutcome): void;
  reject(err: unknown): void;
}

export class EventQueue {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  /** Committed batches waiting for their after-commit work, and whether that work is running. */
  private committed: Array<{ batch: Waiting[]; written: Written }> = [];
  private relaying = false;
  /** After-commit rounds run so far: fewer than batches when a round caught up on several at once. */
  relays = 0;
  /** The most deliveries one batch has held so far (diagnostics, and for tests that batching happens). */
  largestBatch = 0;
  /** Batches written and the deliveries they held (the bench reports the mean batch). */
  batches = 0;
  deliveries = 0;
  /** Milliseconds spent writing batches and relaying them (the bench reports where a batch's time goes). */
  writeMs = 0;
  relayMs = 0;

  constructor(
    private ctx: Ctx,
    private maxBatch = MAX_BATCH,
    private maxInFlight = MAX_IN_FLIGHT,
  ) {}

  submit(delivery: Delivery): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.largestBatch = Math.max(this.largestBatch, batch.length);
      this.batches++;
      this.deliveries += batch.length;
      this.inFlight++;
      const started = performance.now();
      void this.write(batch).then((written) => {
        this.writeMs += performance.now() - started;
        this.inFlight--;
        this.pump();
        this.committed.push({ batch, written });
        this.pumpRelay();
      });
    }
  }

  /** Never rejects: each delivery's outcome or error, in batch order, and what is left to do after the commit. */
  private async write(batch: Waiting[]): Promise<Written> {
    try {
      const { outcomes, afterCommit } = await writeEvents(
        this.ctx,
        batch.map((w) => w.delivery),
      );
      return { settled: outcomes.map((value) => ({ status: 'fulfilled', value })), afterCommit: [afterCommit] };
    } catch (err) {
      if (batch.length === 1) return { settled: [{ status: 'rejected', reason: err }], afterCommit: [] };
      // Nothing of the batch was committed. One bad event must not fail the others: each goes alone.
      const written: Written = { settled: [], afterCommit: [] };
      for (const w of batch) {
        try {
          const { outcomes, afterCommit } = await writeEvents(this.ctx, [w.delivery]);
          written.settled.push({ status: 'fulfilled', value: outcomes[0] });
          written.afterCommit.push(afterCommit);
        } catch (reason) {
          written.settled.push({ status: 'rejected', reason });
        }
      }
      return written;
    }
  }

  /**
   * After-commit work runs one round at a time, in commit order; a round takes every batch that has
   * committed since the last one began, so when it falls behind it catches up in one go.
   */
  private pumpRelay(): void {
    if (this.relaying || !this.committed.length) return;
    const ready = this.committed.splice(0);
    this.relaying = true;
    this.relays++;
    void this.relayAndAnswer(ready).finally(() => {
      this.relaying = false;
      this.pumpRelay();
    });
  }

  /**
   * After the commit: the batches' notices, then their new events to the other areas in one call; then
   * the answers. A redelivery changed nothing here and is not passed on either: every area sees an event
   * id once.
   */
  private async relayAndAnswer(ready: Array<{ batch: Waiting[]; written: Written }>): Promise<void> {
    const started = performance.now();
    // Neither may leave a delivery unanswered: after-commit work and the relay log their own failures.
    for (const { written } of ready) for (const work of written.afterCommit) await work().catch(() => undefined);
    const fresh = ready.flatMap(({ batch, written: { settled } }) =>
      batch
        .filter((_, i) => settled[i].status === 'fulfilled' && (settled[i] as PromiseFulfilledResult<IngestOutcome>).value !== 'duplicate')
        .map((w) => ({ ...w.delivery.event, id: w.delivery.id })),
    );
    if (fresh.length) await this.ctx.relayHostEvents(fresh, 'membership').catch(() => undefined);
    this.relayMs += performance.now() - started;
    for (const { batch, written } of ready)
      batch.forEach((w, i) => {
        const s = written.settled[i];
        if (s.status === 'fulfilled') w.resolve(s.value);
        else w.reject(s.reason);
      });
  }
}

interface Written {
  settled: Array<PromiseSettledResult<IngestOutcome>>;
  afterCommit: Array<() => Promise<void>>;
}

const queues = new WeakMap<Ctx, EventQueue>();

/** The plugin instance's queue (one per Ctx, so every request of an instance joins the same batches). */
export function eventQueue(ctx: Ctx): EventQueue {
  return queues.get(ctx) ?? queues.set(ctx, new EventQueue(ctx)).get(ctx)!;
}
