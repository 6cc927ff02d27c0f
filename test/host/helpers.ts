/** Shared set-up for the reference host's tests: a MySQL connection, fresh host_ tables, tokens. */
import type { Knex } from 'knex';
import type { HostClock } from '../../plugin/host';
import { createHostApp, type HostApp, type HostAppOptions } from '../../examples/host/app';
import { createKnex } from '../../examples/host/db';
import { silentLogger } from '../../examples/host/logger';
import { createHostSchema, dropHostSchema } from '../../examples/host/schema';
import { seedCompany } from '../../examples/host/seed';
import { signToken } from '../../examples/host/sso';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const SECRET = 'test-secret-for-host-tests';

export function testDb(): Knex {
  return createKnex(TEST_DATABASE_URL);
}

/** Drops only the host_ tables (the union_ tables in the same database belong to the module's tests). */
export async function resetHostTables(db: Knex, employees = 3000): Promise<void> {
  await dropHostSchema(db);
  await createHostSchema(db);
  if (employees >= 0) await seedCompany(db, { employees, seed: 20261123 });
}

export function fixedClock(iso = '2026-11-23T02:00:00.000Z'): HostClock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (v) => (now = new Date(v)) };
}

export function testHost(db: Knex, opts: Partial<HostAppOptions> = {}): Promise<HostApp> {
  return createHostApp({ db, secret: SECRET, logger: silentLogger, clock: fixedClock(), plugins: [], ...opts });
}

export function bearer(sub: string, roles: string[]): string {
  return `Bearer ${signToken({ sub, roles }, { secret: SECRET })}`;
}

export const ADMIN = () => bearer('admin', ['employee', 'admin']);
/** A token-only admin, to show the host trusts what it signed without looking the subject up. */
export const TOOL_ADMIN = () => bearer('ops-robot', ['admin']);
export const STAFF = () => bearer('u_staff', ['employee', 'union_staff']);
