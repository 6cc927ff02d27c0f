import knex, { type Knex } from 'knex';
import { createKnex } from '../../examples/host/db';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test';

let shared: Knex | undefined;

/** One pool per test process, on the MySQL/MariaDB the tests are told to use. */
export function testDb(): Knex {
  shared ??= createKnex(TEST_DATABASE_URL);
  return shared;
}

/** Drops every table the module and the reference host own, so each test starts from nothing. */
export async function resetDb(db: Knex): Promise<void> {
  const client = db.client.config.client as string;
  if (client.startsWith('mysql')) {
    const [rows] = await db.raw(
      "select table_name as name from information_schema.tables where table_schema = database() and (table_name like 'union\\_%' or table_name like 'host\\_%')",
    );
    if (!rows.length) return;
    await db.transaction(async (trx) => {
      await trx.raw('SET FOREIGN_KEY_CHECKS = 0');
      for (const r of rows as Array<{ name: string }>) await trx.schema.dropTableIfExists(r.name);
      await trx.raw('SET FOREIGN_KEY_CHECKS = 1');
    });
  } else {
    const rows: Array<{ name: string }> = await db.raw(
      "select name from sqlite_master where type = 'table' and (name like 'union\\_%' escape '\\' or name like 'host\\_%' escape '\\')",
    );
    await db.raw('PRAGMA foreign_keys = OFF');
    for (const r of rows) await db.schema.dropTableIfExists(r.name);
    await db.raw('PRAGMA foreign_keys = ON');
  }
}

export function sqliteMemory(): Knex {
  return knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
}
