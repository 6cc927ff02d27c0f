import sinon from 'sinon';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { createHostApp, type HostApp } from '../../examples/host/app';
import { seedCompany } from '../../examples/host/seed';
import { signToken, DEV_SECRET } from '../../examples/host/sso';
import type { UnionPlugin } from '../../plugin';
import type { HostLogger } from '../../plugin/host';
import { resetDb, testDb } from './db';

/** 10:00 in Shanghai on 2026-11-23: a Monday, inside working hours. */
export const T0 = new Date('2026-11-23T02:00:00.000Z');
export const TODAY = '2026-11-23';

export interface LogEntry {
  level: string;
  obj: unknown;
  msg?: string;
}

export function recordingLogger(): HostLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const rec = (level: string) => (obj: unknown, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

export interface World {
  db: Knex;
  host: HostApp;
  plugin: UnionPlugin;
  clock: sinon.SinonFakeTimers;
  logger: ReturnType<typeof recordingLogger>;
  notify: sinon.SinonSpy;
  api: supertest.Agent;
  token(sub: string, roles?: string[]): string;
  /** Stops the plugin and restores the clock. */
  close(): Promise<void>;
}

export interface WorldOptions {
  employees?: number;
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  enable?: boolean;
  now?: Date;
  db?: Knex;
  /** false: keep the real Date (browser tests: cookies and the browser live in real time); `now` is then ignored. */
  fakeClock?: boolean;
}

/** A world on the real clock has no fake clock to move. */
export type RealTimeWorld = Omit<World, 'clock'>;

/**
 * A reference host on a fresh database with a small seeded company and the union module enabled.
 * Only Date is faked, so timers and the database driver keep working.
 */
export async function makeWorld(opts: WorldOptions & { fakeClock: false }): Promise<RealTimeWorld>;
export async function makeWorld(opts?: WorldOptions): Promise<World>;
export async function makeWorld(opts: WorldOptions = {}): Promise<World> {
  const db = opts.db ?? testDb();
  await resetDb(db);
  const clock = opts.fakeClock === false ? undefined : sinon.useFakeTimers({ now: opts.now ?? T0, toFake: ['Date'] });
  const logger = recordingLogger();
  try {
    const host = await createHostApp({ db, logger, startPlugins: false, env: opts.env ?? {}, secret: DEV_SECRET });
    await seedCompany(db, { employees: opts.employees ?? 40 });
    const notify = sinon.spy(host.host.notify, 'send');
    await db('host_plugins').insert({
      id: 'union',
      enabled: false,
      installed: false,
      settings: JSON.stringify({ jobs: { enabled: false }, ...opts.settings }),
      updated_at: '2026-11-23 00:00:00.000',
    });
    if (opts.enable !== false) await host.plugins.enable('union');
    const plugin = (host.plugins.instance('union') ?? (await host.plugins.list(), host.plugins.instance('union'))) as UnionPlugin;
    return {
      db,
      host,
      plugin,
      clock: clock as sinon.SinonFakeTimers,
      logger,
      notify,
      api: supertest.agent(host.app),
      token: (sub, roles = ['employee']) => signToken({ sub, roles }, { now: new Date() }),
      async close() {
        await host.close();
        notify.restore();
        clock?.restore();
      },
    };
  } catch (err) {
    clock?.restore();
    throw err;
  }
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
