/**
 * Hardship assistance cases: intake (the employee for themselves, or staff on their behalf) and the moves
 * along the transition table (assistance-flow.ts), each one transaction with its history and audit row,
 * then a notice to whoever acts next. Payment (发放) lives in assistance-pay.ts, objections in
 * assistance-objections.ts.
 */
import type { Actor, Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { Conflict, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { endOfDay, loadCalendar } from '../../lib/workdays';
import { asDate, sqlDateTime } from '../../lib/time';
import { t } from '../../i18n';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { allowedActions, transition, type Mover } from '../workflow';
import { pickLeastLoaded } from '../grievances/routing';
import { peopleWithRole } from '../roles';
import { assistanceFlow, type CaseRow, type DecideInput, type NoteInput, type ReviewInput, type VerifyInput } from './assistance-flow';
import { assistanceSettings, OPEN_STATUSES, stepDays, type AssistanceCategory, type Step } from './assistance-rules';

export const moverOf = (user: UnionUser): Mover => ({ id: user.id, kind: 'user', grants: user.permissions });
export const caseLink = (id: number) => `/union/assistance/${id}`;
export const categoryLabel = (ctx: Ctx, c: string) => t(ctx.settings.locale, `assistance.categories.${c}`);

export interface Application {
  category: AssistanceCategory;
  description: string;
  urgent?: boolean;
}

/**
 * Who takes a new case (受理): the handlers named in the settings, else the union staff the host lists by
 * role, else the chair; the one with the fewest open cases, ties to who waited longest, then by id.
 */
async function chooseHandler(ctx: Ctx): Promise<string> {
  const named = assistanceSettings(ctx).handlerIds;
  const pool = named.length
    ? named
    : (await peopleWithRole(ctx, 'union.staff')).length
      ? await peopleWithRole(ctx, 'union.staff')
      : await peopleWithRole(ctx, 'union.chair');
  if (!pool.length)
    throw new Conflict('Nobody can take assistance cases yet', [
      { path: 'handlerId', message: 'no handler named, no staff or chair the host can list' },
    ]);
  const rows: Array<{ handler_id: string; open: unknown; last: string | null }> = await ctx
    .db('union_assistance_cases')
    .whereIn('handler_id', pool)
    .groupBy('handler_id')
    .select(
      'handler_id',
      ctx.db.raw(`sum(case when status in (${OPEN_STATUSES.map(() => '?').join(', ')}) then 1 else 0 end) as open`, [...OPEN_STATUSES]),
    )
    .max({ last: 'submitted_at' });
  const load = new Map(rows.map((r) => [r.handler_id, { open: Number(r.open), lastAssignedAt: String(r.last ?? '') }]));
  return pickLeastLoaded(pool, load);
}

async function insertCase(ctx: Ctx, actor: Actor, c: Application & { employeeId: string; recordedBy: string | null; handlerId: string }) {
  const person = await ctx.host.employees.get(c.employeeId);
  if (!person || person.status !== 'employed')
    throw Invalid.field(c.recordedBy ? 'body.employeeId' : 'employeeId', 'is not an employed person HR knows');
  const urgent = Boolean(c.urgent);
  const out = await inTransaction(ctx.db, async (trx) => {
    const cal = await loadCalendar(trx);
    const today = ctx.today();
    const dueDate = cal.addWorkingDays(today, stepDays(assistanceSettings(ctx), urgent, 'accept'));
    const dueAt = sqlDateTime(endOfDay(dueDate, ctx.settings.timezone));
    const now = ctx.nowSql();
    const [id] = await trx('union_assistance_cases').insert({
      employee_id: c.employeeId,
      department_id: person.departmentId ?? null,
      category: c.category,
      description: c.description.trim(),
      urgent,
      recorded_by: c.recordedBy,
      handler_id: c.handlerId,
      status: 'submitted',
      submitted_at: now,
      submitted_on: today,
      due_at: dueAt,
      due_date: dueDate,
      due_estimated: cal.estimated,
    });
    await trx('union_assistance_history').insert({
      case_id: id,
      at: now,
      actor: actor.id,
      action: 'submit',
      from_status: null,
      to_status: 'submitted',
    });
    // The audit row names the case, never what the applicant wrote.
    await writeAudit(ctx, trx, actor, {
      action: 'assistance_case.submit',
      entity: 'assistance_case',
      entityId: id,
      after: { status: 'submitted', category: c.category, urgent, handlerId: c.handlerId, dueAt },
    });
    return { id: Number(id), status: 'submitted' as const, dueAt: endOfDay(dueDate, ctx.settings.timezone).toISOString() };
  });
  // The handler learns that a case came and how urgent it is; its content is read on the case page.
  await sendNotice(ctx, {
    to: [c.handlerId],
    template: 'union.assistance.assigned',
    key: urgent ? 'assistance.notify.assignedUrgent' : 'assistance.notify.assigned',
    vars: { id: out.id, category: categoryLabel(ctx, c.category) },
    link: caseLink(out.id),
  });
  return out;
}

/** An employee applies for help for themselves. */
export async function applyForHelp(ctx: Ctx, user: UnionUser, body: Application) {
  return insertCase(ctx, moverOf(user), { ...body, employeeId: user.id, recordedBy: null, handlerId: await chooseHandler(ctx) });
}

/** Staff record an application on an employee's behalf (a visit, a call); they handle it themselves. */
export function recordForEmployee(ctx: Ctx, user: UnionUser, body: Application & { employeeId: string }) {
  return insertCase(ctx, moverOf(user), { ...body, recordedBy: user.id, handlerId: user.id });
}

/** The working days of a step on the case's clock (normal or 急难). */
async function daysFor(ctx: Ctx, id: number, step: Step): Promise<number> {
  const row = await ctx.db('union_assistance_cases').where({ id }).first('urgent');
  return stepDays(assistanceSettings(ctx), Boolean(row?.urgent), step);
}

/** One move of the table in one transaction (row, history, audit), then the applicant hears of progress. */
export async function move<I>(ctx: Ctx, user: UnionUser, id: number, action: string, input: I, tell = true) {
  const moved = await inTransaction(ctx.db, (trx) => transition(ctx, trx, assistanceFlow, id, action, moverOf(user), input));
  if (tell) await tellApplicant(ctx, moved.after);
  return present(moved.after);
}

export async function tellApplicant(ctx: Ctx, row: CaseRow) {
  await sendNotice(ctx, {
    to: [row.employee_id],
    template: 'union.assistance.progress',
    key: 'assistance.notify.progress',
    vars: { id: row.id, status: t(ctx.settings.locale, `assistance.status.${row.status}`) },
    link: caseLink(row.id),
  });
}

export const present = (r: CaseRow) => ({
  id: r.id,
  status: r.status,
  dueAt: r.due_at ? new Date(`${String(r.due_at).replace(' ', 'T')}Z`).toISOString() : null,
  dueDate: asDate(r.due_date),
});

export async function acceptCase(ctx: Ctx, user: UnionUser, id: number, body: { note?: string }) {
  return move(ctx, user, id, 'accept', { ...body, days: await daysFor(ctx, id, 'verify') } satisfies NoteInput);
}

/**
 * 核实: what HR says today (employed, department, income band where the host has one) is read here and kept
 * on the case; a home visit is recorded only with the family's consent.
 */
export async function verifyCase(
  ctx: Ctx,
  user: UnionUser,
  id: number,
  body: { note: string; homeVisitOn?: string; familyConsent?: boolean },
) {
  if (body.homeVisitOn && !body.familyConsent)
    throw Invalid.field('body.familyConsent', 'a home visit is recorded only with the family’s consent');
  if (body.homeVisitOn && body.homeVisitOn > ctx.today()) throw Invalid.field('body.homeVisitOn', 'is in the future');
  const row = await ctx.db('union_assistance_cases').where({ id }).first('employee_id');
  const person = row ? await ctx.host.employees.get(row.employee_id) : null;
  const incomeBand = (person as { incomeBand?: unknown } | null)?.incomeBand;
  const input: VerifyInput = {
    note: body.note,
    homeVisitOn: body.homeVisitOn,
    employed: person?.status === 'employed',
    departmentId: person?.departmentId ?? null,
    incomeBand: typeof incomeBand === 'string' ? incomeBand : null,
    days: await daysFor(ctx, id, 'confer'),
  };
  return move(ctx, user, id, 'verify', input);
}

/** 会商: the committee's decision, recorded by the chair; a grant goes on public notice (公示). */
export async function decideCase(
  ctx: Ctx,
  user: UnionUser,
  id: number,
  body: Omit<DecideInput, 'days' | 'amountCents'> & { amount?: number },
) {
  const amountCents = body.amount === undefined ? undefined : Math.round(body.amount * 100);
  const input: DecideInput = { ...body, amountCents, days: assistanceSettings(ctx).noticeDays };
  return move(ctx, user, id, 'decide', input);
}

/**
 * 公示期满: the notice has run its days and no objection is open; the grade takes effect and the applicant
 * joins the hardship list. Checked under the case row's lock, so an objection raised meanwhile waits.
 */
export async function confirmCase(ctx: Ctx, user: UnionUser, id: number, body: { note?: string }) {
  const days = await daysFor(ctx, id, 'pay');
  const moved = await inTransaction(ctx.db, async (trx) => {
    const row: CaseRow | undefined = await lockForUpdate(trx, trx('union_assistance_cases').where({ id })).first();
    if (row && allowedActions(assistanceFlow, row, moverOf(user)).includes('confirm')) {
      const open = await trx('union_assistance_objections').where({ case_id: id }).whereNull('outcome').count({ n: '*' }).first();
      if (Number(open?.n ?? 0) > 0)
        throw new Conflict('An objection to the notice is still open', [{ path: 'objections', message: `${open?.n} open` }]);
      const ends = asDate(row.notice_ends_on)!;
      if (ctx.today() <= ends) throw new Conflict(`The public notice runs until ${ends}`, [{ path: 'noticeEndsOn', message: ends }]);
    }
    return transition(ctx, trx, assistanceFlow, id, 'confirm', moverOf(user), { ...body, days });
  });
  await tellApplicant(ctx, moved.after);
  return present(moved.after);
}

export async function followUpCase(ctx: Ctx, user: UnionUser, id: number, body: { note: string }) {
  return move(ctx, user, id, 'follow_up', { ...body, days: 0 });
}

export function withdrawCase(ctx: Ctx, user: UnionUser, id: number, body: { note?: string }) {
  return move(ctx, user, id, 'withdraw', { ...body, days: 0 }, false);
}

/** The yearly review: continue, change the grade, or leave the list (the applicant is not told here). */
export function reviewCase(ctx: Ctx, user: UnionUser, id: number, body: ReviewInput) {
  return move(ctx, user, id, 'review', body, false);
}

/** A case row, or 404 (for callers that have already checked the relation). */
export async function caseRow(ctx: Ctx, id: number): Promise<CaseRow> {
  const row: CaseRow | undefined = await ctx.db('union_assistance_cases').where({ id }).first();
  if (!row) throw new NotFound(`No assistance case ${id}`);
  return row;
}
