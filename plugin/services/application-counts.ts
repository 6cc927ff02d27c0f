import type { Ctx } from '../context';
import { whereDepartmentInScope, WHOLE_UNION, type Scope } from './scope';

/** How many applications are in one state, within the caller's orgs: the total above the approvals list. */
export async function countApplications(ctx: Ctx, status: string, scope: Scope = WHOLE_UNION): Promise<number> {
  const q = ctx.db('union_join_applications as a').where('a.status', status);
  if (!scope.all) whereDepartmentInScope(q.join('union_employees as e', 'e.employee_id', 'a.employee_id'), scope, 'e.department_id');
  const row = await q.count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
