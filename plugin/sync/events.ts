import type { Ctx } from '../context';
import type { HostEvent } from '../host';
import { ajv, assertValid } from '../schemas/ajv';
import { hostEventSchema } from '../schemas/events';
import { latestTrustedAt } from '../services/employment';
import { Invalid } from '../errors';
import { sqlDateTime } from '../lib/time';
import { errorShape } from '../lib/log-safe';
import { applyEvents, type Delivery, type IngestOutcome } from './event-batch';

export type { IngestOutcome } from './event-batch';

const validateEvent = ajv.compile<HostEvent>(hostEventSchema);

/** Checks one delivered event before anything is written: bad input is refused naming the field. */
export function prepareDelivery(ctx: Ctx, raw: unknown, via: 'inproc' | 'webhook', webhookId?: string): Delivery {
  const event = assertValid(validateEvent, raw, 'event');
  const id = event.id ?? webhookId;
  if (!id) throw Invalid.field('event.id', 'is required (or send the webhook-id header)');
  // An event from the future would be applied now and then outrank every real change after it.
  const trustUntil = latestTrustedAt(ctx.now(), ctx.settings.webhookToleranceSec);
  if (sqlDateTime(new Date(event.timestamp)) > trustUntil)
    throw Invalid.field('event.timestamp', `is in the future (more than ${ctx.settings.webhookToleranceSec} s after now)`);
  return { event, id, via };
}

/**
 * Applies one host event exactly once: the event id is the primary key of union_events, written in
 * the same transaction as the change, so a redelivery (or a concurrent duplicate) changes nothing.
 * It is a batch of one; the webhook receiver batches deliveries that arrive together (event-queue.ts).
 */
export async function ingestEvent(ctx: Ctx, raw: unknown, via: 'inproc' | 'webhook', webhookId?: string): Promise<IngestOutcome> {
  const [outcome] = await applyEvents(ctx, [prepareDelivery(ctx, raw, via, webhookId)]);
  return outcome;
}

/** The in-process handler for the host's event bus: a failure is logged, and the next reconciliation repairs it. */
export async function ingestHostEvent(ctx: Ctx, event: HostEvent): Promise<void> {
  try {
    await ingestEvent(ctx, event, 'inproc');
  } catch (err) {
    ctx.host.logger.error(
      { err: errorShape(err), eventId: typeof event?.id === 'string' ? event.id.slice(0, 128) : undefined, type: event?.type },
      'union: host event could not be applied; the next reconciliation repairs it',
    );
  }
}
