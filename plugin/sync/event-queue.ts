/**
 * Group commit for webhook deliveries: while one batch is being written, the deliveries that arrive
 * queue up, and the next batch takes them all (up to MAX_BATCH) as soon as the previous one commits.
 * So a lone event is written at once, and under load a batch gathers exactly as long as a commit
 * takes, without a timer. Each delivery is answered only after the batch holding it has committed.
 */
import type { Ctx } from '../context';
import { applyEvents, type Delivery, type IngestOutcome } from './event-batch';

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
  /** The most deliveries one batch has held so far (diagnostics, and for tests that batching happens). */
  largestBatch = 0;
  /** Batches written and the deliveries they held (the bench reports the mean batch). */
  batches = 0;
  deliveries = 0;

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
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await applyEvents(
        this.ctx,
        batch.map((w) => w.delivery),
      );
      batch.forEach((w, i) => w.resolve(outcomes[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      // Nothing of the batch was committed. One bad event must not fail the others: each goes alone.
      for (const w of batch) {
        try {
          w.resolve((await applyEvents(this.ctx, [w.delivery]))[0]);
        } catch (e) {
          w.reject(e);
        }
      }
    }
  }
}

const queues = new WeakMap<Ctx, EventQueue>();

/** The plugin instance's queue (one per Ctx, so every request of an instance joins the same batches). */
export function eventQueue(ctx: Ctx): EventQueue {
  return queues.get(ctx) ?? queues.set(ctx, new EventQueue(ctx)).get(ctx)!;
}
