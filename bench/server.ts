/**
 * The reference host with the module enabled, on 127.0.0.1 and an ephemeral port, in its own process
 * so that load generators do not share its event loop. Tells its parent the port; stops on 'stop'.
 */
import type { AddressInfo } from 'node:net';
import { openDb, openHost } from './lib';
import { eventQueue } from '../plugin/sync/event-queue';
import { signUpQueue } from '../plugin/services/activities/signup-queue';

async function main(): Promise<void> {
  const db = openDb();
  const { host, plugin } = await openHost(db);
  // Statements sent to the database once webhook deliveries have started (the events scenario reports them per event).
  let statements = 0;
  db.on('query', () => void (eventQueue(plugin.ctx).deliveries > 0 && statements++));
  const server = host.app.listen(0, '127.0.0.1');
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  process.on('message', async (msg: unknown) => {
    // A scheduled firing, as cron would start it on this instance: { job, slot } -> { job, ran | error }.
    if (typeof msg === 'object' && msg && 'job' in msg) {
      const { job, slot } = msg as { job: string; slot: string };
      try {
        const outcome = await plugin.runJob(job, { trigger: 'schedule', actor: { id: `job:${job}`, kind: 'job' }, slot });
        process.send!({ job, ran: outcome.ran });
      } catch (err) {
        process.send!({ job, error: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
    // How the activities' sign-ups have batched so far: { signUps: { batches, signUps, largestBatch, failedBatches } }.
    if (msg === 'signUps') {
      const { batches, signUps, largestBatch, failedBatches } = signUpQueue(plugin.ctx);
      process.send!({ signUps: { batches, signUps, largestBatch, failedBatches } });
      return;
    }
    if (msg !== 'stop') return;
    // Stop accepting, let requests in flight finish (bounded), then close the pool.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    server.closeAllConnections();
    // Handlers of requests whose clients already left may still be waiting for a connection: let them end.
    const pool = (db.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
    for (let i = 0; i < 200 && pool && pool.numUsed() + pool.numPendingAcquires() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    await host.close();
    await db.destroy();
    const q = eventQueue(plugin.ctx);
    process.send!(
      {
        queue: {
          batches: q.batches,
          deliveries: q.deliveries,
          largestBatch: q.largestBatch,
          statements,
          writeMs: Math.round(q.writeMs),
          relayMs: Math.round(q.relayMs),
          relays: q.relays,
        },
      },
      () => process.exit(0),
    );
  });
  // Never outlive the bench: the parent going away ends this process too.
  process.on('disconnect', () => process.exit(0));
  process.send!({ port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
