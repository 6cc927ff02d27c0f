import type { Knex } from 'knex';
import { OPEN_STATUSES } from './assistance-rules';

/**
 * The seam between the service groups and hardship assistance (专项帮扶): the `hardship` group is everyone
 * with an open assistance case (submitted, being verified, conferred or on notice) or an approved one
 * still on the hardship list (the yearly review may take it off). It stays a subquery (not an id list)
 * so the groups remain one SQL statement.
 */
export function hardshipEmployeeIds(db: Knex): Knex.QueryBuilder {
  return db('union_assistance_cases')
    .where((w) => w.whereIn('status', [...OPEN_STATUSES]).orWhere('on_list', true))
    .select('employee_id');
}
