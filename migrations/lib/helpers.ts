import type { Knex } from 'knex';

/**
 * Ghost-style helpers: a migration holds a copy of the table as it was when the migration was
 * written, and both directions check first, so a migration that half-ran can run again.
 */
export type TableSpec = (t: Knex.CreateTableBuilder) => void;

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

function log(msg: string): void {
  if (process.env.UNION_MIGRATION_LOG) console.log(`[union migrations] ${msg}`);
}

export function addTable(name: string, spec: TableSpec): Migration {
  return addTables([[name, spec]]);
}

/** Several tables that belong to one change; created in order, dropped in reverse. */
export function addTables(tables: Array<[string, TableSpec]>): Migration {
  return {
    async up(knex) {
      for (const [name, spec] of tables) {
        if (await knex.schema.hasTable(name)) {
          log(`skip: table ${name} exists`);
          continue;
        }
        await knex.schema.createTable(name, (t) => {
          spec(t);
          if (knex.client.config.client === 'mysql2') {
            t.engine('InnoDB');
            t.charset('utf8mb4');
          }
        });
      }
    },
    async down(knex) {
      for (const [name] of [...tables].reverse()) {
        if (!(await knex.schema.hasTable(name))) {
          log(`skip: table ${name} is gone`);
          continue;
        }
        await knex.schema.dropTable(name);
      }
    },
  };
}

export function addColumn(table: string, column: string, spec: (t: Knex.AlterTableBuilder) => void): Migration {
  return {
    async up(knex) {
      if (await knex.schema.hasColumn(table, column)) return log(`skip: ${table}.${column} exists`);
      await knex.schema.alterTable(table, spec);
    },
    async down(knex) {
      if (!(await knex.schema.hasColumn(table, column))) return log(`skip: ${table}.${column} is gone`);
      await knex.schema.alterTable(table, (t) => t.dropColumn(column));
    },
  };
}
