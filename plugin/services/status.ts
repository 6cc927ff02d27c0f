import type { Actor, Ctx } from '../context';
import { Invalid } from '../errors';
import { inTransaction } from '../lib/db';
import type { MembershipStatus } from './decide';
import { applyPlans, deliver, loadForUpdate } from './memberships';

/**
 * An administrator sets a status by hand, with a reason; until the optional date the automatic rules
 * leave it alone, after it they take over again (the daily job clears the override).
 */
export async function setStatusByHand(
  ctx: Ctx,
  actor: Actor,
  employeeId: string,
  input: { status: MembershipStatus; reason: string; until?: string | null; date?: string },
) {
  if (!input.reason.trim()) throw Invalid.field('body.reason', 'must say why the status is set by hand');
  if (input.until && input.until < ctx.today())
    throw Invalid.field('body.until', 'must be today or later (the status holds through that day)');
  const person = await ctx.host.employees.get(employeeId);
  if (!person) throw Invalid.field('employeeId', 'is not an employee in the host');
  const effects = await inTransaction(ctx.db, async (trx) => {
    const { facts, memberships } = await loadForUpdate(trx, [employeeId]);
    return applyPlans(ctx, trx, actor, 'staff', [
      {
        employeeId,
        fact: facts.get(employeeId),
        membership: memberships.get(employeeId),
        departmentId: person.departmentId,
        transitions: [
          {
            kind: 'set_status',
            status: input.status,
            reason: input.reason,
            date: input.date ?? ctx.today(),
            override: true,
            until: input.until ?? null,
          },
        ],
      },
    ]);
  });
  await deliver(ctx, effects);
}

/** 退会: a member leaves the union of their own will; not an override, just the member's choice. */
export async function withdraw(ctx: Ctx, actor: Actor, employeeId: string, reason: string) {
  if (!reason.trim()) throw Invalid.field('body.reason', 'is required');
  await inTransaction(ctx.db, async (trx) => {
    const { facts, memberships } = await loadForUpdate(trx, [employeeId]);
    const m = memberships.get(employeeId);
    if (!m || m.status !== 'active') throw Invalid.field('employeeId', 'is not an active member');
    await applyPlans(ctx, trx, actor, actor.id === employeeId ? 'employee' : 'staff', [
      {
        employeeId,
        fact: facts.get(employeeId),
        membership: m,
        transitions: [{ kind: 'set_status', status: 'withdrawn', reason, date: ctx.today(), override: false, until: null }],
      },
    ]);
  });
}
