import type { Knex } from 'knex';
import type { Ctx } from '../../context';
import type { Db } from '../../lib/db';
import { inGroup } from './groups';
import { GROUP_CODES, type GroupCode } from './settings';

/**
 * The seam through which other areas (activities: an audience of 服务对象) reach the service groups
 * without reading the care area's tables themselves. Groups are computed from today's profiles, so an
 * audience follows people into and out of a group by itself.
 */
export const SERVICE_GROUPS: readonly string[] = GROUP_CODES;

export function isServiceGroup(code: string): code is GroupCode {
  return (GROUP_CODES as readonly string[]).includes(code);
}

/** The employed people in any of these groups today, as a subquery with one column, employee_id. */
export function serviceGroupMembers(ctx: Ctx, db: Db, codes: string[]): Knex.QueryBuilder {
  const q = db('union_care_profiles as p').select('p.employee_id as employee_id');
  const known = codes.filter(isServiceGroup);
  if (!known.length) return q.whereRaw('1 = 0');
  return q.where((any) => {
    for (const code of known)
      any.orWhere((one) => {
        inGroup(ctx, one, code);
      });
  });
}
