import type { Knex } from 'knex';

// The welfare gap report reads every member of a period (status, joined_at, expired_at) for their ids.
// This index holds all four, so the read never touches the membership rows (a scan of a narrow index
// instead of the table). Payments already have (plan_id, period, employee_id).
const TABLE = 'union_memberships';
const NAME = 'union_memberships_during_idx';
const COLUMNS = ['status', 'joined_at', 'expired_at', 'employee_id'];

async function hasIndex(knex: Knex): Promise<boolean> {
  if (String(knex.client.config.client).startsWith('mysql')) {
    const [rows] = await knex.raw(
      'select 1 from information_schema.statistics where table_schema = database() and table_name = ? and index_name = ? limit 1',
      [TABLE, NAME],
    );
    return rows.length > 0;
  }
  return (await knex.raw("select 1 from sqlite_master where type = 'index' and name = ?", [NAME])).length > 0;
}

export async function up(knex: Knex): Promise<void> {
  if (!(await hasIndex(knex))) await knex.schema.alterTable(TABLE, (t) => t.index(COLUMNS, NAME));
}

export async function down(knex: Knex): Promise<void> {
  if (await hasIndex(knex)) await knex.schema.alterTable(TABLE, (t) => t.dropIndex(COLUMNS, NAME));
}
