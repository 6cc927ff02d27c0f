import type { Actor, Ctx } from '../context';
import { Invalid, NotFound } from '../errors';
import { inTransaction } from '../lib/db';
import { employedOn, statusByHand, type MembershipStatus } from './decide';
import { departmentInScope, orgInScope, type Scope } from './scope';
import { applyPlans, deliver, loadForUpdate } from './memberships';

/**
 * An administrator sets a status by hand, with a reason; until the optional date (and never beyond the
 * person's exit) the automatic rules leave it alone, after that they take over again. Enrolling someone
 * this way needs the consent they signed on paper (`consentDate`, `consentRef`); see statusByHand.
 */
export async function setStatusByHand(
  ctx: Ctx,
  actor: Actor,
  employeeId: string,
  input: { status: MembershipStatus; reason: string; until?: string | null; date?: string; consentDate?: string; consentRef?: string },
  scope: Scope,
) {
  if (!input.reason.trim()) throw Invalid.field('body.reason', 'must say why the status is set by hand');
  if (input.until && input.until < ctx.today())
    throw Invalid.field('body.until', 'must be today or later (the status holds through that day)');
  const person = await ctx.host.employees.get(employeeId);
  if (!person) throw Invalid.field('employeeId', 'is not an employee in the host');
  const today = ctx.today();
  const effects = await inTransaction(ctx.db, async (trx) => {
    const { facts, memberships } = await loadForUpdate(trx, [employeeId]);
    const membership = memberships.get(employeeId);
    const fact = facts.get(employeeId);
    // Outside the caller's orgs the person does not exist for them (their membership's org, else their department's).
    if (membership ? !orgInScope(scope, membership.org_id) : !departmentInScope(scope, fact?.department_id ?? person.departmentId))
      throw new NotFound('This person has no membership record');
    const decision = statusByHand({
      membership,
      hireDate: fact?.hire_date ?? person.hireDate,
      employed: fact ? employedOn(fact, today) : person.status === 'employed' && person.hireDate <= today,
      today,
      set: { ...input, until: input.until ?? null, date: input.date ?? today },
    });
    if ('invalid' in decision) throw Invalid.field(decision.invalid.path, decision.invalid.message);
    return applyPlans(ctx, trx, actor, 'staff', [
      { employeeId, fact, membership, departmentId: person.departmentId, transitions: [decision.transition] },
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
