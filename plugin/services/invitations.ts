import type { Actor, Ctx } from '../context';
import { chunks, inTransaction } from '../lib/db';
import { writeAuditMany } from './audit';
import { Invalid } from '../errors';
import { whereDepartmentInScope, type Scope } from './scope';
import { sendNotice } from './notices';
import { whereRemindable } from './reminders';

export interface NonMemberFilter {
  departmentId?: string;
  orgId?: number;
  after?: string;
  limit: number;
}

/** Employed people without an active or retained membership, decided by dates against today, within the scope. */
function nonMembers(ctx: Ctx, f: Omit<NonMemberFilter, 'after' | 'limit'>, scope: Scope) {
  const today = ctx.today();
  const q = ctx
    .db('union_employees as e')
    .leftJoin('union_memberships as m', 'm.employee_id', 'e.employee_id')
    .leftJoin('union_invitations as i', 'i.employee_id', 'e.employee_id')
    .where('e.hire_date', '<=', today)
    .andWhere((w) => w.whereNull('e.exit_date').orWhere('e.exit_date', '>', today))
    .andWhere((w) => w.whereNull('m.id').orWhereNotIn('m.status', ['active', 'retained']));
  whereDepartmentInScope(q, scope, 'e.department_id');
  if (f.departmentId) q.where('e.department_id', f.departmentId);
  if (f.orgId) {
    q.whereIn('e.department_id', ctx.db('union_org_departments').where({ org_id: f.orgId }).select('department_id'));
  }
  return q;
}

export async function listNonMembers(ctx: Ctx, f: NonMemberFilter, scope: Scope) {
  const q = nonMembers(ctx, f, scope)
    .select(
      'e.employee_id',
      'e.department_id',
      'm.status as membership_status',
      'i.status as invitation_status',
      'i.sent_at',
      'i.reminders',
    )
    .orderBy('e.employee_id')
    .limit(f.limit + 1);
  if (f.after) q.where('e.employee_id', '>', f.after);
  const rows = await q;
  const page = rows.slice(0, f.limit);
  const people = new Map((await ctx.host.employees.getMany(page.map((r) => r.employee_id))).map((e) => [e.id, e]));
  const total = await nonMembers(ctx, f, scope).count({ n: '*' }).first();
  return {
    total: Number(total?.n ?? 0),
    items: page.map((r) => ({ ...r, name: people.get(r.employee_id)?.name ?? r.employee_id })),
    nextAfter: rows.length > f.limit ? page[page.length - 1].employee_id : null,
  };
}

/** 批量邀请: invites the chosen people, or everyone the filter selects; each invitation is tracked. */
export async function invite(
  ctx: Ctx,
  actor: Actor,
  target: { employeeIds?: string[]; all?: boolean; departmentId?: string; orgId?: number },
  scope: Scope,
) {
  let ids: string[];
  if (target.all) {
    ids = (await nonMembers(ctx, target, scope).select('e.employee_id')).map((r: { employee_id: string }) => r.employee_id);
  } else {
    if (!target.employeeIds?.length) throw Invalid.field('body.employeeIds', 'must name at least one person, or set all');
    const eligible = new Set(
      (await nonMembers(ctx, {}, scope).whereIn('e.employee_id', target.employeeIds).select('e.employee_id')).map(
        (r: { employee_id: string }) => r.employee_id,
      ),
    );
    const wrong = target.employeeIds.filter((id) => !eligible.has(id));
    if (wrong.length) throw Invalid.field('body.employeeIds', `are not employed non-members: ${wrong.slice(0, 10).join(', ')}`);
    ids = target.employeeIds;
  }
  const now = ctx.nowSql();
  await inTransaction(ctx.db, async (trx) => {
    for (const batch of chunks(ids, 500)) {
      await trx('union_invitations')
        .insert(batch.map((employee_id) => ({ employee_id, status: 'sent', invited_by: actor.id, sent_at: now, reminders: 0 })))
        .onConflict('employee_id')
        .merge(['status', 'invited_by', 'sent_at']);
    }
    await writeAuditMany(
      ctx,
      trx,
      actor,
      ids.map((id) => ({ action: 'invitation.send', entity: 'invitation', entityId: id })),
    );
  });
  await sendNotice(ctx, { to: ids, template: 'union.member.invited', key: 'members.notices.invited', link: '/union/join' });
  return { invited: ids.length };
}

/** Sends the invitation again to those in the scope who have not joined yet and whose waiting period is over. */
export async function remind(ctx: Ctx, actor: Actor, employeeIds: string[] | undefined, scope: Scope) {
  const q = whereRemindable(ctx, ctx.db('union_invitations as i'), 'i.');
  if (!scope.all) whereDepartmentInScope(q.join('union_employees as e', 'e.employee_id', 'i.employee_id'), scope, 'e.department_id');
  if (employeeIds?.length) q.whereIn('i.employee_id', employeeIds);
  const ids: string[] = (await q.select('i.employee_id')).map((r: { employee_id: string }) => r.employee_id);
  const now = ctx.nowSql();
  await inTransaction(ctx.db, async (trx) => {
    for (const batch of chunks(ids, 1000)) {
      await trx('union_invitations').whereIn('employee_id', batch).update({ last_reminded_at: now }).increment('reminders', 1);
    }
    await writeAuditMany(
      ctx,
      trx,
      actor,
      ids.map((id) => ({ action: 'invitation.remind', entity: 'invitation', entityId: id })),
    );
  });
  await sendNotice(ctx, { to: ids, template: 'union.member.invitation_reminder', key: 'members.notices.reminder', link: '/union/join' });
  return { reminded: ids.length };
}

export async function invitationCounts(ctx: Ctx, scope: Scope) {
  const q = ctx.db('union_invitations as i').groupBy('i.status').select('i.status').count({ n: '*' });
  if (!scope.all) whereDepartmentInScope(q.join('union_employees as e', 'e.employee_id', 'i.employee_id'), scope, 'e.department_id');
  const rows = (await q) as unknown as Array<{ status: string; n: number | string }>;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
}

export async function myInvitation(ctx: Ctx, employeeId: string) {
  return ctx.db('union_invitations').where({ employee_id: employeeId }).first('status', 'sent_at');
}
