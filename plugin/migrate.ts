import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ConfigError } from './errors';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');
const TABLE = 'union_knex_migrations';
const FILE_RE = /^\d{14}_[a-z0-9_]+\.(ts|js)$/;

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Our own source: knex's default one filters by extension and would miss .ts files under tsx. */
class UnionMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return codeMigrations();
  }
  getMigrationName(name: string): string {
    return name;
  }
  async getMigration(name: string): Promise<MigrationModule> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(MIGRATIONS_DIR, name)) as MigrationModule;
  }
}

/** Migration names as the code knows them, without extension, in order. */
export function codeMigrations(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => FILE_RE.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .sort();
}

export function migratorConfig(): Knex.MigratorConfig {
  return { migrationSource: new UnionMigrationSource(), tableName: TABLE };
}

/** Refuses to run against a database that a newer version of the module has migrated. */
export async function assertSchemaNotNewer(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable(TABLE))) return;
  const applied: string[] = (await db(TABLE).select('name')).map((r: { name: string }) => r.name.replace(/\.(ts|js)$/, ''));
  const known = new Set(codeMigrations());
  const unknown = applied.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new ConfigError(
      `The database schema is newer than this version of the union module (unknown migrations: ${unknown.join(', ')}). ` +
        'Install the newer module version, or restore a backup made before the upgrade.',
    );
  }
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  await assertSchemaNotNewer(db);
  const [, names] = await db.migrate.latest(migratorConfig());
  return names as string[];
}

export async function migrateRollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback(migratorConfig(), true);
}

export async function dropLedger(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists(`${TABLE}_lock`);
  await db.schema.dropTableIfExists(TABLE);
}
