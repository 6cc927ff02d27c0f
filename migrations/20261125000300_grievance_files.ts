import type { Knex } from 'knex';

// Evidence files of grievances, kept in the database: outside any public folder, the same for every
// instance, and read only through the case's own visibility check.
const TABLE = 'union_grievance_files';

export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(TABLE)) return;
  const mysql = String(knex.client.config.client).startsWith('mysql');
  await knex.schema.createTable(TABLE, (t) => {
    t.increments('id');
    t.integer('grievance_id').unsigned().notNullable();
    t.string('name', 200).notNullable();
    t.string('mime', 32).notNullable();
    t.integer('size').unsigned().notNullable();
    t.string('sha256', 64).notNullable();
    t.specificType('content', mysql ? 'longblob' : 'blob').notNullable();
    t.string('uploaded_by', 64).notNullable();
    t.specificType('uploaded_at', 'datetime(3)').notNullable();
    t.index(['grievance_id', 'id'], 'union_grievance_files_case_idx');
    if (mysql) {
      t.engine('InnoDB');
      t.charset('utf8mb4');
    }
  });
}

export async function down(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(TABLE)) await knex.schema.dropTable(TABLE);
}
