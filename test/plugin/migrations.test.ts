import { expect } from 'chai';
import { codeMigrations, migrateLatest, migrateRollbackAll, assertSchemaNotNewer } from '../../plugin/migrate';
import { resetDb, testDb } from '../helpers/db';

async function unionTables(): Promise<string[]> {
  const [rows] = await testDb().raw(
    "select table_name as name from information_schema.tables where table_schema = database() and table_name like 'union\\_%' order by 1",
  );
  return (rows as Array<{ name: string }>).map((r) => r.name);
}

describe('migrations on MySQL', () => {
  beforeEach(async () => resetDb(testDb()));

  it('go up, all the way down, and up again; every table is prefixed union_', async () => {
    const db = testDb();
    const applied = await migrateLatest(db);
    expect(applied.map((n) => n.replace(/\.(ts|js)$/, ''))).to.deep.equal(codeMigrations());
    const up = await unionTables();
    expect(up).to.include.members([
      'union_memberships',
      'union_membership_history',
      'union_events',
      'union_audit',
      'union_knex_migrations',
    ]);
    expect(up.every((t) => t.startsWith('union_'))).to.equal(true);

    await migrateRollbackAll(db);
    expect(await unionTables()).to.deep.equal(['union_knex_migrations', 'union_knex_migrations_lock']);

    await migrateLatest(db);
    expect(await unionTables()).to.deep.equal(up);
    expect(await migrateLatest(db)).to.deep.equal([], 'a second run has nothing to do');
  });

  it('refuses to start on a database whose schema is newer than the code, naming the unknown migration', async () => {
    const db = testDb();
    await migrateLatest(db);
    await db('union_knex_migrations').insert({ name: '29991231000000_from_the_future.ts', batch: 99, migration_time: new Date() });
    try {
      await assertSchemaNotNewer(db);
      expect.fail('should have refused');
    } catch (err) {
      expect((err as Error).message)
        .to.match(/newer than this version/)
        .and.match(/29991231000000_from_the_future/);
    }
    await db('union_knex_migrations').where({ batch: 99 }).delete();
  });

  it('re-runs a migration that half-ran: an existing table is skipped, not an error', async () => {
    const db = testDb();
    await db.schema.createTable('union_settings', (t) => {
      t.string('key', 100).primary();
      t.text('value').notNullable();
      t.string('updated_by', 64);
      t.specificType('updated_at', 'datetime(3)').notNullable();
    });
    await migrateLatest(db);
    expect(await unionTables()).to.include('union_audit');
  });
});
