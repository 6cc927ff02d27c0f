import crypto from 'node:crypto';
import express, { type Router } from 'express';
import type { Ctx } from '../context';
import { Invalid, UnionError, Unauthorized } from '../errors';
import { prepareDelivery } from './events';
import { eventQueue } from './event-queue';
import { EVENT_ID_MAX } from '../schemas/events';

/**
 * Standard Webhooks receiver: HMAC-SHA256 over `id.timestamp.body` with the secret's base64 key,
 * signatures as `v1,<base64>` (several may be sent, space-separated), timestamps within tolerance.
 */
export function verifyStandardWebhook(opts: {
  secret: string;
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
  now: Date;
  toleranceSec: number;
}): void {
  const { id, timestamp, signature } = opts;
  if (!id || !timestamp || !signature) throw new Unauthorized('Missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d{1,12}$/.test(timestamp)) throw new Unauthorized('webhook-timestamp is not a Unix time in seconds');
  const skew = Math.abs(Math.floor(opts.now.getTime() / 1000) - Number(timestamp));
  if (skew > opts.toleranceSec) throw new Unauthorized('webhook-timestamp is too far from now');
  const key = Buffer.from(opts.secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.`).update(opts.body).digest();
  const ok = signature.split(' ').some((part) => {
    const [version, sig] = part.split(',', 2);
    if (version !== 'v1' || !sig) return false;
    const given = Buffer.from(sig, 'base64');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  if (!ok) throw new Unauthorized('The webhook signature does not match');
}

export function webhookRouter(ctx: Ctx): Router {
  const router = express.Router();
  router.post('/employee-events', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const secret = ctx.settings.webhookSecret;
    if (!secret) throw new UnionError(503, 'webhook_not_configured', 'The webhook secret is not set in the union settings');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const id = req.get('webhook-id');
    // The id becomes the event's key (idempotence); one that cannot be stored is refused before anything is written.
    if (id && (id.length > EVENT_ID_MAX || !/^[\x21-\x7e]+$/.test(id)))
      throw Invalid.field('webhook-id', `must be 1 to ${EVENT_ID_MAX} printable ASCII characters`);
    verifyStandardWebhook({
      secret,
      body,
      now: ctx.now(),
      toleranceSec: ctx.settings.webhookToleranceSec,
      id,
      timestamp: req.get('webhook-timestamp'),
      signature: req.get('webhook-signature'),
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw Invalid.field('body', 'is not valid JSON');
    }
    // Checked here, so a bad event is refused on its own; the queue answers once its batch has committed.
    const delivery = prepareDelivery(ctx, parsed, 'webhook', id);
    // Answered once the batch has committed and been relayed to the other areas.
    const outcome = await eventQueue(ctx).submit(delivery);
    res.status(200).json({ ok: true, outcome });
  });
  return router;
}
