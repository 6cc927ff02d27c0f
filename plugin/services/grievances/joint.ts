/**
 * Joint handling sheets (会办单): the assignee or the chair sends a case through departments in order.
 * Only the current step's staff see the case, and only as that step needs it: the content and their
 * own step, never the filer; their reads are logged like any staff read. Each step's deadline counts
 * from the day its turn comes.
 */
import type { Ctx, Trx } from '../../context';
import type { UnionUser } from '../../auth';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { asDate, fromSqlDateTime, sqlDateTime } from '../../lib/time';
import { endOfDay, loadCalendar } from '../../lib/workdays';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { relationsTo, type GrievanceRow } from './flow';
import { moverOf } from './reading';

export interface StepInput {
  departmentId: string;
  staffId: string;
  days: number;
  asked?: string;
}

interface StepRow {
  id: number;
  grievance_id: number;
  seq: number;
  department_id: string;
  staff_id: string;
  days: number;
  asked: string | null;
  due_date: unknown;
  due_at: string | null;
  answer: string | null;
  answered_at: string | null;
}

const presentStep = (s: StepRow) => ({
  id: s.id,
  seq: s.seq,
  departmentId: s.department_id,
  staffId: s.staff_id,
  asked: s.asked,
  dueAt: fromSqlDateTime(s.due_at)?.toISOString() ?? null,
  dueDate: asDate(s.due_date),
  answer: s.answer,
  answeredAt: fromSqlDateTime(s.answered_at)?.toISOString() ?? null,
});

async function startStep(ctx: Ctx, trx: Trx, step: StepRow): Promise<void> {
  const cal = await loadCalendar(trx);
  const due = cal.addWorkingDays(ctx.today(), step.days);
  await trx('union_grievance_joint_steps')
    .where({ id: step.id })
    .update({ due_date: due, due_at: sqlDateTime(endOfDay(due, ctx.settings.timezone)) });
}

async function tellStaff(ctx: Ctx, to: string, id: number) {
  await sendNotice(ctx, {
    to: [to],
    template: 'union.grievance.jointStep',
    key: 'grievances.notices.jointStep',
    vars: { id },
    link: `/union/grievances/${id}`,
  });
}

/** Sends an in-progress case through departments in order; one open sheet per case. */
export async function planJointSheet(ctx: Ctx, user: UnionUser, id: number, steps: StepInput[]) {
  const people = await ctx.host.employees.getMany(steps.map((s) => s.staffId));
  steps.forEach((s, i) => {
    if (!people.some((p) => p.id === s.staffId && p.status === 'employed'))
      throw Invalid.field(`body.steps.${i}.staffId`, 'is not an employed person');
  });
  const first = await inTransaction(ctx.db, async (trx) => {
    const row = (await lockForUpdate(trx, trx('union_grievances').where({ id }).first())) as GrievanceRow | undefined;
    const rel = row ? relationsTo(row, moverOf(user)) : new Set<string>();
    if (!row || rel.size === 0) throw new NotFound(`No grievance ${id}`);
    if (!rel.has('assignee') && !rel.has('chair')) throw new Forbidden('Only the assignee or the chair may plan a joint handling sheet');
    if (row.status !== 'in_progress')
      throw new Conflict(`The grievance is ${row.status}; a joint sheet needs in_progress`, [{ path: 'status', message: row.status }]);
    const open = await trx('union_grievance_joint_steps').where({ grievance_id: id }).whereNull('answered_at').first('id');
    if (open) throw new Conflict('The grievance already has an open joint handling sheet', [{ path: 'steps', message: 'a sheet is open' }]);
    const base = Number((await trx('union_grievance_joint_steps').where({ grievance_id: id }).max({ m: 'seq' }).first())?.m ?? 0);
    await trx('union_grievance_joint_steps').insert(
      steps.map((s, i) => ({
        grievance_id: id,
        seq: base + i + 1,
        department_id: s.departmentId,
        staff_id: s.staffId,
        days: s.days,
        asked: s.asked?.trim() || null,
      })),
    );
    const firstStep = (await trx('union_grievance_joint_steps')
      .where({ grievance_id: id, seq: base + 1 })
      .first()) as StepRow;
    await startStep(ctx, trx, firstStep);
    const at = ctx.nowSql();
    await trx('union_grievance_history').insert({
      grievance_id: id,
      at,
      actor: user.id,
      action: 'joint_sheet',
      from_status: row.status,
      to_status: row.status,
      note: steps.map((s) => s.departmentId).join(' → '),
    });
    await writeAudit(
      ctx,
      trx,
      { id: user.id, kind: 'user' },
      { action: 'grievance.joint_sheet', entity: 'grievance', entityId: id, after: { steps } },
    );
    return firstStep;
  });
  await tellStaff(ctx, first.staff_id, id);
  return jointSteps(ctx, id);
}

export async function jointSteps(ctx: Ctx, id: number) {
  const rows: StepRow[] = await ctx.db('union_grievance_joint_steps').where({ grievance_id: id }).orderBy('seq');
  return rows.map(presentStep);
}

/** The step whose turn it is, if `userId` is its staff. */
async function currentStepOf(ctx: Ctx | { db: Trx }, id: number, userId: string): Promise<StepRow | undefined> {
  const current = (await ctx
    .db('union_grievance_joint_steps')
    .where({ grievance_id: id })
    .whereNull('answered_at')
    .orderBy('seq')
    .first()) as StepRow | undefined;
  return current && current.staff_id === userId ? current : undefined;
}

/** What the current step's staff may see of a case, or null if they are not its staff. Logged as a staff read. */
export async function jointView(ctx: Ctx, user: UnionUser, row: GrievanceRow) {
  const step = await currentStepOf(ctx, row.id, user.id);
  if (!step) return null;
  await ctx.db('union_grievance_reads').insert({ grievance_id: row.id, reader_id: user.id, relation: 'joint_step', at: ctx.nowSql() });
  return {
    id: row.id,
    category: row.category,
    content: row.content,
    concerns: row.concerns,
    status: row.status,
    relations: ['joint_step'],
    jointStep: presentStep(step),
  };
}

/** The steps waiting for `userId` now (their turn has come), for their list of 会办单 tasks; the filer never appears. */
export async function myJointTasks(ctx: Ctx, userId: string) {
  const rows: Array<StepRow & { category: string }> = await ctx
    .db('union_grievance_joint_steps as s')
    .join('union_grievances as g', 'g.id', 's.grievance_id')
    .where('s.staff_id', userId)
    .whereNull('s.answered_at')
    .whereNotExists((q) =>
      q
        .select(ctx.db.raw('1'))
        .from('union_grievance_joint_steps as p')
        .whereRaw('p.grievance_id = s.grievance_id')
        .whereRaw('p.seq < s.seq')
        .whereNull('p.answered_at'),
    )
    .orderBy('s.due_at')
    .limit(200)
    .select('s.*', 'g.category');
  return rows.map((r) => ({ ...presentStep(r), grievanceId: r.grievance_id, category: r.category }));
}

/** The current step's staff record their department's answer; the next department's turn begins. */
export async function answerStep(ctx: Ctx, user: UnionUser, id: number, answer: string) {
  const next = await inTransaction(ctx.db, async (trx) => {
    await lockForUpdate(trx, trx('union_grievances').where({ id }).first('id'));
    const step = await currentStepOf({ db: trx }, id, user.id);
    if (!step) throw new NotFound(`No grievance ${id}`);
    const at = ctx.nowSql();
    await trx('union_grievance_joint_steps').where({ id: step.id }).update({ answer, answered_at: at });
    const answered: StepRow = { ...step, answer, answered_at: at };
    const following = (await trx('union_grievance_joint_steps')
      .where({ grievance_id: id, seq: step.seq + 1 })
      .first()) as StepRow | undefined;
    if (following) await startStep(ctx, trx, following);
    await trx('union_grievance_history').insert({
      grievance_id: id,
      at,
      actor: user.id,
      action: 'joint_answer',
      from_status: null,
      to_status: 'in_progress',
      note: `${step.department_id}: ${answer}`,
    });
    await writeAudit(
      ctx,
      trx,
      { id: user.id, kind: 'user' },
      { action: 'grievance.joint_answer', entity: 'grievance', entityId: id, after: { stepId: step.id } },
    );
    return { following, answered };
  });
  if (next.following) await tellStaff(ctx, next.following.staff_id, id);
  // The step's staff get their own step back, not the sheet: other departments' answers are not theirs to read.
  return presentStep(next.answered);
}
