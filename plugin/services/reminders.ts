/**
 * The waiting period between an invitation (or its last reminder) and the next reminder: nobody is
 * reminded seconds after being invited. The period is the `reminderWaitDays` setting (default 3).
 */
import type { Knex } from 'knex';
import type { Ctx } from '../context';
import { fromSqlDateTime, sqlDateTime } from '../lib/time';
import { whereDepartmentInScope, WHOLE_UNION, type Scope } from './scope';

const DAY_MS = 86_400_000;

export function reminderWaitDays(ctx: Ctx): number {
  return ctx.settings.reminderWaitDays ?? 3;
}

/** Invitations last touched (sent or reminded) at or before this UTC datetime may be reminded now. */
export function remindCutoff(ctx: Ctx): string {
  return sqlDateTime(new Date(ctx.now().getTime() - reminderWaitDays(ctx) * DAY_MS));
}

/** Narrows a query on union_invitations (alias-free) to those whose waiting period is over. */
export function whereRemindable(ctx: Ctx, q: Knex.QueryBuilder, prefix = ''): Knex.QueryBuilder {
  const cutoff = remindCutoff(ctx);
  return q
    .where(`${prefix}status`, 'sent')
    .where(`${prefix}sent_at`, '<=', cutoff)
    .andWhere((w) => w.whereNull(`${prefix}last_reminded_at`).orWhere(`${prefix}last_reminded_at`, '<=', cutoff));
}

/** Invitations of people in the scope (a branch's staff see and remind only their branch's). */
function invitationsIn(ctx: Ctx, scope: Scope): Knex.QueryBuilder {
  const q = ctx.db('union_invitations as i');
  if (!scope.all) whereDepartmentInScope(q.join('union_employees as e', 'e.employee_id', 'i.employee_id'), scope, 'e.department_id');
  return q;
}

/** How many in the scope may be reminded now, how many are still waiting, and when the first of those may be. */
export async function reminderState(ctx: Ctx, scope: Scope = WHOLE_UNION): Promise<{ due: number; waiting: number; nextAt: Date | null }> {
  const [due, all] = await Promise.all([
    whereRemindable(ctx, invitationsIn(ctx, scope), 'i.').count({ n: '*' }).first(),
    invitationsIn(ctx, scope).where('i.status', 'sent').count({ n: '*' }).first(),
  ]);
  const dueN = Number(due?.n ?? 0);
  const waiting = Number(all?.n ?? 0) - dueN;
  let nextAt: Date | null = null;
  if (waiting > 0) {
    const cutoff = remindCutoff(ctx);
    // The earliest moment a waiting invitation becomes due: its latest touch plus the period.
    const row = await invitationsIn(ctx, scope)
      .where('i.status', 'sent')
      .andWhere((w) => w.where('i.sent_at', '>', cutoff).orWhere('i.last_reminded_at', '>', cutoff))
      .select(
        ctx.db.raw(
          'min(case when i.last_reminded_at is null or i.sent_at > i.last_reminded_at then i.sent_at else i.last_reminded_at end) as t',
        ),
      )
      .first();
    const last = fromSqlDateTime(row?.t ? String(row.t) : null);
    nextAt = last ? new Date(last.getTime() + reminderWaitDays(ctx) * DAY_MS) : null;
  }
  return { due: dueN, waiting, nextAt };
}
