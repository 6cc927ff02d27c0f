/**
 * Group commit for webhook deliveries: while one batch is being written, the deliveries that arrive
 * queue up, and the next batch takes them all (up to MAX_BATCH) as soon as the previous one commits.
 * So a lone event is written at once, and under load a batch gathers exactly as long as a commit
 * takes, without a timer. Each delivery is answered only after the batch holding it has committed and
 * its new events have been relayed to the other areas. Relaying runs beside the next batch's write, one
 * batch at a time in commit order, so the areas see events in the order they were applied.
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
  /** The relay of the last committed batch: the next one waits for it. */
  private relaying: Promise<void> = Promise.resolve();
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
      void this.write(batch).then((settled) => {
        this.writeMs += performance.now() - started;
        this.inFlight--;
        this.pump();
        this.relaying = this.relaying.then(() => this.relayAndAnswer(batch, settled));
      });
    }
  }

  /** Never rejects: each delivery's outcome or error, in batch order. */
  private async write(batch: Waiting[]): Promise<Array<PromiseSettledResult<IngestOutcome>>> {
    try {
      const outcomes = await applyEvents(
        this.ctx,
        batch.map((w) => w.delivery),
      );
      return outcomes.map((value) => ({ status: 'fulfilled', value }));
    } catch (err) {
      if (batch.length === 1) return [{ status: 'rejected', reason: err }];
      // Nothing of the batch was committed. One bad event must not fail the others: each goes alone.
      const settled: Array<PromiseSettledResult<IngestOutcome>> = [];
      for (const w of batch) {
        try {
          settled.push({ status: 'fulfilled', value: (await applyEvents(this.ctx, [w.delivery]))[0] });
        } catch (reason) {
          settled.push({ status: 'rejected', reason });
        }
      }
      return settled;
    }
  }

  /** A redelivery changed nothing here and is not passed on either: every area sees an event id once. */
  private async relayAndAnswer(batch: Waiting[], settled: Array<PromiseSettledResult<IngestOutcome>>): Promise<void> {
    const fresh = batch
      .filter((_, i) => settled[i].status === 'fulfilled' && (settled[i] as PromiseFulfilledResult<IngestOutcome>).value !== 'duplicate')
      .map((w) => ({ ...w.delivery.event, id: w.delivery.id }));
    // The relay logs what an area could not do; nothing it does may leave a delivery unanswered.
    const started = performance.now();
    if (fresh.length) await this.ctx.relayHostEvents(fresh, 'membership').catch(() => undefined);
    this.relayMs += performance.now() - started;
    batch.forEach((w, i) => {
      const s = settled[i];
      if (s.status === 'fulfilled') w.resolve(s.value);
      else w.reject(s.reason);
    });
  }
}

const queues = new WeakMap<Ctx, EventQueue>();

/** The plugin instance's queue (one per Ctx, so every request of an instance joins the same batches). */
export function eventQueue(ctx: Ctx): EventQueue {
  return queues.get(ctx) ?? queues.set(ctx, new EventQueue(ctx)).get(ctx)!;
}
