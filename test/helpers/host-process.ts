/**
 * The reference host with the union module, in a process of its own on the test database, for tests
 * that kill it (SIGKILL) while requests are in flight. Tells its parent the port once it listens.
 */
import type { AddressInfo } from 'node:net';
import { createHostApp } from '../../examples/host/app';
import { silentLogger } from '../../examples/host/logger';
import { DEV_SECRET } from '../../examples/host/sso';
import { testDb } from './db';

async function main(): Promise<void> {
  const host = await createHostApp({
    db: testDb(),
    logger: silentLogger,
    env: { UNION_WEBHOOK_SECRET: process.env.UNION_WEBHOOK_SECRET },
    secret: DEV_SECRET,
    instanceId: `test-${process.pid}`,
  });
  const server = host.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  process.send!({ port: (server.address() as AddressInfo).port });
  // Never outlive the test process.
  process.on('disconnect', () => process.exit(0));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
