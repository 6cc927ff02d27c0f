/**
 * `npm start`: the reference host on http://127.0.0.1:3000 with a seeded company.
 * Env: PORT, HOST, DATABASE_URL (mysql://… or sqlite:…; default SQLite under ./data/), HOST_SSO_SECRET,
 * UNION_WEBHOOK_SECRET, LOG_LEVEL, PLUGIN_SYNC_SEC (how often an instance picks up plugin changes made on another).
 */
import type { Server } from 'node:http';
import { createHostApp } from './app';
import { createKnex, redact } from './db';
import { createLogger, errorShape } from './logger';
import { createHostSchema } from './schema';
import { seedCompany } from './seed';
import { seedUnionDemo } from './seed-union';
import type { UnionPlugin } from '../../plugin';
import { DEV_SECRET, resolveSecret } from './sso';

async function main(): Promise<void> {
  const logger = createLogger();
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOST ?? '127.0.0.1';
  const url = process.env.DATABASE_URL;

  if (resolveSecret() === DEV_SECRET) {
    if (process.env.NODE_ENV === 'production') throw new Error('Set HOST_SSO_SECRET: the development secret is public');
    logger.warn({}, 'HOST_SSO_SECRET is not set; using the development secret');
  }

  const db = createKnex(url);
  logger.info({ database: url ? redact(url) : 'sqlite ./data/host.sqlite' }, 'database');
  await createHostSchema(db);
  const seeded = await seedCompany(db, { employees: 3000 });
  if (seeded.seeded) logger.info(seeded, 'seeded a synthetic company');

  const host = await createHostApp({ db, logger, instanceId: `${hostname}:${port}:${process.pid}` });
  // A fresh company gets a union that looks alive: the module enabled and filled through its own services.
  if (seeded.seeded && process.env.UNION_DEMO !== '0') {
    await host.plugins.enable('union');
    const demo = await seedUnionDemo(db, host.plugins.instance('union') as UnionPlugin);
    if (demo.seeded) logger.info(demo, 'seeded a demo union (UNION_DEMO=0 turns this off)');
  }
  const syncSec = Number(process.env.PLUGIN_SYNC_SEC ?? 30);
  const sync = syncSec > 0 ? setInterval(() => void host.plugins.reconcile(), syncSec * 1000) : undefined;
  sync?.unref();

  const server: Server = host.app.listen(port, hostname, () => {
    logger.info({ url: `http://${hostname}:${port}/` }, `reference host listening on http://${hostname}:${port}/ (sign in at /login)`);
    // Said plainly too, outside the JSON log, so a newcomer sees where to go.
    process.stdout.write(`\n  参考宿主已启动 / Reference host ready:  http://${hostname}:${port}/login\n\n`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    if (sync) clearInterval(sync);
    // Stop taking requests, let the ones in flight finish, then stop jobs and close the pool.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await host.close();
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

// A failed start is logged by its shape: a database error's message holds its whole statement (personal data).
main().catch((err) => {
  console.error('reference host failed to start:', JSON.stringify(errorShape(err)));
  process.exit(1);
});
