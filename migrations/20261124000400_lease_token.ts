import type { Knex } from 'knex';

// A job lease names the run that holds it (a random token), not only the instance: two runs on one
// instance then exclude each other too, and a finishing run releases only its own lease.
const COLUMNS: Array<[string, (t: Knex.AlterTableBuilder) => void]> = [
  ['token', (t) => t.string('token', 64).nullable()],
  ['started_by', (t) => t.string('started_by', 160).nullable()],
];

export async function up(knex: Knex): Promise<void> {
  for (const [name, spec] of COLUMNS) {
    if (!(await knex.schema.hasColumn('union_job_leases', name))) await knex.schema.alterTable('union_job_leases', spec);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of [...COLUMNS].reverse()) {
    if (await knex.schema.hasColumn('union_job_leases', name)) await knex.schema.alterTable('union_job_leases', (t) => t.dropColumn(name));
  }
}
