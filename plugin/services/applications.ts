import { sendNotice } from './notices';
import type { Actor, Ctx } from '../context';
import { Conflict, Invalid, NotFound } from '../errors';
import { inTransaction, isUniqueViolation, lockForUpdate } from '../lib/db';
import { writeAudit } from './audit';
import { applyPlans, deliver, loadForUpdate } from './memberships';
import { departmentInScope, whereDepartmentInScope, type Scope } from './scope';

/** Bumped when the consent wording changes, so each consent records which text was agreed to. */
export const CONSENT_TEXT_VERSION = '2026-1';

export interface ApplicationInput {
  consent: boolean;
  note?: string;
}

/** 入会申请: an employed person asks to join, confirming voluntary consent, which is recorded with its time. */
export async function submitApplication(ctx: Ctx, actor: Actor, employeeId: string, input: ApplicationInput): Promise<number> {
  if (input.consent !== true) throw Invalid.field('body.consent', 'must be confirmed: joining the union is voluntary');
  const employee = await ctx.host.employees.get(employeeId);
  if (!employee || employee.status !== 'employed')
    throw new Conflict('Only employed staff can apply to join', [{ path: 'employeeId', message: 'is not employed' }]).because(
      'not_employed',
    );
  const id = await inTransaction(ctx.db, async (trx) => {
    const m = await lockForUpdate(trx, trx('union_memberships').where({ employee_id: employeeId }).first('status'));
    if (m?.status === 'active') throw new Conflict('You are already a member').because('already_member');
    const now = ctx.nowSql();
    try {
      const [newId] = await trx('union_join_applications').insert({
        employee_id: employeeId,
        status: 'submitted',
        consent_at: now,
        consent_text_version: CONSENT_TEXT_VERSION,
        note: input.note ?? null,
        submitted_at: now,
        open_key: employeeId,
      });
      await writeAudit(ctx, trx, actor, {
        action: 'application.submit',
        entity: 'application',
        entityId: Number(newId),
        after: { employeeId, consentAt: now },
      });
      return Number(newId);
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict('An application is already waiting for approval').because('application_open');
      throw err;
    }
  });
  return id;
}

/** An application from someone outside the staff member's orgs is, for them, no application at all. */
async function applicantInScope(ctx: Ctx, applicationId: number, scope: Scope): Promise<string> {
  const app = await ctx
    .db('union_join_applications as a')
    .leftJoin('union_employees as e', 'e.employee_id', 'a.employee_id')
    .where('a.id', applicationId)
    .first('a.employee_id', 'e.department_id');
  if (!app || !departmentInScope(scope, app.department_id)) throw new NotFound('No such application');
  return app.employee_id as string;
}

/** Approve: the membership becomes active with a number (the old one on re-join) and the employee is told. */
export async function approveApplication(ctx: Ctx, actor: Actor, applicationId: number, scope: Scope): Promise<{ memberNo: string }> {
  // The host is read before the transaction: no lock is held while another system answers.
  const applicantId = await applicantInScope(ctx, applicationId, scope);
  const employee = await ctx.host.employees.get(applicantId);
  if (!employee || employee.status !== 'employed') throw new Conflict('The applicant is no longer employed').because('applicant_left');
  const { effects, memberNo } = await inTransaction(ctx.db, async (trx) => {
    const app = await lockForUpdate(trx, trx('union_join_applications').where({ id: applicationId }).first());
    if (app.status !== 'submitted') throw new Conflict(`The application is already ${app.status}`).because('application_decided');
    const { facts, memberships } = await loadForUpdate(trx, [app.employee_id]);
    const m = memberships.get(app.employee_id);
    if (m?.status === 'active') throw new Conflict('The applicant is already a member').because('already_member');
    const effects = await applyPlans(ctx, trx, actor, 'staff', [
      {
        employeeId: app.employee_id,
        fact: facts.get(app.employee_id),
        membership: m,
        departmentId: employee.departmentId,
        transitions: [{ kind: 'join', date: ctx.today(), consentMethod: 'application', reason: 'application', consentAt: app.consent_at }],
      },
    ]);
    await trx('union_join_applications')
      .where({ id: applicationId })
      .update({ status: 'approved', decided_at: ctx.nowSql(), decided_by: actor.id, open_key: null });
    await writeAudit(ctx, trx, actor, {
      action: 'application.approve',
      entity: 'application',
      entityId: applicationId,
      before: { status: 'submitted' },
      after: { status: 'approved' },
    });
    return { effects, memberNo: effects.joined[0].memberNo };
  });
  await deliver(ctx, effects);
  return { memberNo };
}

export async function rejectApplication(ctx: Ctx, actor: Actor, applicationId: number, reason: string, scope: Scope): Promise<void> {
  if (!reason.trim()) throw Invalid.field('body.reason', 'must say why the application is rejected');
  await applicantInScope(ctx, applicationId, scope);
  const employeeId = await inTransaction(ctx.db, async (trx) => {
    const app = await lockForUpdate(trx, trx('union_join_applications').where({ id: applicationId }).first());
    if (!app) throw new NotFound('No such application');
    if (app.status !== 'submitted') throw new Conflict(`The application is already ${app.status}`).because('application_decided');
    await trx('union_join_applications')
      .where({ id: applicationId })
      .update({ status: 'rejected', decided_at: ctx.nowSql(), decided_by: actor.id, decision_reason: reason, open_key: null });
    await writeAudit(ctx, trx, actor, {
      action: 'application.reject',
      entity: 'application',
      entityId: applicationId,
      before: { status: 'submitted' },
      after: { status: 'rejected', reason },
    });
    return app.employee_id as string;
  });
  await sendNotice(ctx, {
    to: [employeeId],
    template: 'union.application.rejected',
    key: 'members.notices.rejected',
    vars: { reason },
    link: '/union/',
  });
}

export async function listApplications(ctx: Ctx, opts: { status: string; afterId?: number; limit: number }, scope: Scope) {
  const q = ctx
    .db('union_join_applications as a')
    .where('a.status', opts.status)
    .orderBy('a.id', 'asc')
    .limit(opts.limit + 1);
  if (!scope.all) whereDepartmentInScope(q.join('union_employees as e', 'e.employee_id', 'a.employee_id'), scope, 'e.department_id');
  if (opts.afterId) q.andWhere('a.id', '>', opts.afterId);
  const rows = await q.select(
    ...['id', 'employee_id', 'status', 'consent_at', 'submitted_at', 'note', 'decided_at', 'decision_reason'].map((c) => `a.${c}`),
  );
  const more = rows.length > opts.limit;
  const page = rows.slice(0, opts.limit);
  const people = new Map((await ctx.host.employees.getMany(page.map((r) => r.employee_id))).map((e) => [e.id, e]));
  const depts = new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
  return {
    items: page.map((r) => {
      const e = people.get(r.employee_id);
      return {
        ...r,
        name: e?.name ?? r.employee_id,
        employeeNo: e?.employeeNo ?? r.employee_id,
        department: e ? (depts.get(e.departmentId) ?? e.departmentId) : '',
      };
    }),
    nextAfter: more ? page[page.length - 1].id : null,
  };
}

export async function myOpenApplication(ctx: Ctx, employeeId: string) {
  return ctx
    .db('union_join_applications')
    .where({ employee_id: employeeId })
    .orderBy('id', 'desc')
    .first('id', 'status', 'submitted_at', 'decision_reason');
}
