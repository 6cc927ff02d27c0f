import type { Ctx } from '../context';
import { whereDepartmentInScope, type Scope } from './scope';

/**
 * Invitations still unanswered (status `sent`) that went out on or before `sentBefore`, within the scope:
 * the people 批量邀请 should remind. Counted with the same scope rule as `invitationCounts`.
 */
export async function unansweredInvitations(ctx: Ctx, scope: Scope, sentBefore: string): Promise<number> {
  const q = ctx.db('union_invitations as i').where('i.status', 'sent').where('i.sent_at', '<=', sentBefore);
  if (!scope.all) whereDepartmentInScope(q.join('union_employees as e', 'e.employee_id', 'i.employee_id'), scope, 'e.department_id');
  const row = await q.count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
