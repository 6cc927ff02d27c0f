import type { Knex } from 'knex';

/**
 * The seam between the service groups and hardship assistance (专项帮扶, issue 12 item 2, built elsewhere).
 * The `hardship` group is everyone with an open or approved assistance case. Until the assistance-case
 * table exists this returns a subquery of no ids, so the group counts 0 and lists nobody; the assistance
 * area replaces the body with `db('union_assistance_cases').whereIn('status', [...open, 'approved'])
 * .select('employee_id')`. It must stay a subquery (not an id list) so groups remain one SQL statement.
 */
export function hardshipEmployeeIds(db: Knex): Knex.QueryBuilder {
  return db('union_care_profiles').whereRaw('1 = 0').select('employee_id');
}
