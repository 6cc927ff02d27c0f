/**
 * Group commit for sign-ups, one lane per activity (the model is sync/event-queue.ts): while one batch
 * of an activity's sign-ups is being written, the sign-ups that arrive queue up, and the next batch takes
 * them all (up to MAX_BATCH) as soon as the previous one commits. So a lone sign-up is written at once,
 * and a crowd shares one lock, one round of statements and one commit per batch instead of queueing on
 * the activity's row one by one. Each caller is answered only after the batch holding it has committed.
 * Batches of one activity never overlap in an instance (they would only wait on each other's lock);
 * other instances batch their own, and the activity's row lock orders their batches.
 */
import type { Ctx } from '../../context';
import { Conflict } from '../../errors';
import { isUniqueViolation } from '../../lib/db';
import { registerBatch, type RegisterOutcome, type SignUp, type SignUpResult } from './signups';

const MAX_BATCH = 100;

interface Waiting {
  signUp: SignUp;
  resolve(outcome: RegisterOutcome): void;
  reject(err: unknown): void;
}

interface Lane {
  waiting: Waiting[];
  writing: boolean;
}

export class SignUpQueue {
  /** Lanes with work only: an activity's lane goes when it empties. */
  private lanes = new Map<number, Lane>();
  /** The most sign-ups one batch has held so far (diagnostics, and for tests that batching happens). */
  largestBatch = 0;
  /** Batches written and the sign-ups they held (the bench reports the mean batch). */
  batches = 0;
  signUps = 0;
  /** Batches whose transaction failed as a whole and were retried one sign-up at a time. */
  failedBatches = 0;

  constructor(
    private ctx: Ctx,
    private maxBatch = MAX_BATCH,
  ) {}

  submit(activityId: number, signUp: SignUp): Promise<RegisterOutcome> {
    return new Promise((resolve, reject) => {
      const lane = this.lanes.get(activityId) ?? this.lanes.set(activityId, { waiting: [], writing: false }).get(activityId)!;
      lane.waiting.push({ signUp, resolve, reject });
      this.pump(activityId, lane);
    });
  }

  private pump(activityId: number, lane: Lane): void {
    if (lane.writing) return;
    if (!lane.waiting.length) {
      this.lanes.delete(activityId);
      return;
    }
    const batch = lane.waiting.splice(0, this.maxBatch);
    this.largestBatch = Math.max(this.largestBatch, batch.length);
    this.batches++;
    this.signUps += batch.length;
    lane.writing = true;
    void this.write(activityId, batch).finally(() => {
      lane.writing = false;
      this.pump(activityId, lane);
    });
  }

  private async write(activityId: number, batch: Waiting[]): Promise<void> {
    let results: SignUpResult[];
    try {
      results = await registerBatch(
        this.ctx,
        activityId,
        batch.map((w) => w.signUp),
      );
    } catch (err) {
      this.failedBatches++;
      if (batch.length === 1) return batch[0].reject(answerFor(err));
      // Nothing of the batch was committed (after inTransaction's own retries): each goes alone, so a
      // failure is answered to the one it belongs to and the others are decided as usual.
      for (const w of batch) {
        try {
          settle(w, (await registerBatch(this.ctx, activityId, [w.signUp]))[0]);
        } catch (e) {
          w.reject(answerFor(e));
        }
      }
      return;
    }
    batch.forEach((w, i) => settle(w, results[i]));
  }
}

function settle(w: Waiting, result: SignUpResult): void {
  if ('error' in result) w.reject(result.error);
  else w.resolve(result.outcome);
}

/** The unique key (activity, person) refused a second row that some writer slipped past the checks. */
function answerFor(err: unknown): unknown {
  return isUniqueViolation(err) ? new Conflict('You are already registered for this activity') : err;
}

const queues = new WeakMap<Ctx, SignUpQueue>();

/** The plugin instance's queue (one per Ctx, so every request of an instance joins the same batches). */
export function signUpQueue(ctx: Ctx): SignUpQueue {
  return queues.get(ctx) ?? queues.set(ctx, new SignUpQueue(ctx)).get(ctx)!;
}
