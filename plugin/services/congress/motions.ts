import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors';
import { inTransaction, isUniqueViolation } from '../../lib/db';
import { asDate } from '../../lib/time';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { transition, type Mover } from '../workflow';
import { delegateOf, getSession, lockSession } from './sessions';
import { windowOpen } from './rules';
import { motionFlow, type AnswerInput, type AssignInput, type MotionRow, type RateInput, type ReasonInput } from './flow';

export const moverOf = (user: UnionUser): Mover => ({ id: user.id, kind: 'user', grants: user.permissions });

export interface MotionInput {
  title: string;
  content: string;
  withholdName?: boolean;
}

/** A delegate submits a motion inside the session's window; anyone else gets 403. */
export async function submitMotion(ctx: Ctx, user: UnionUser, sessionId: number, input: MotionInput) {
  return inTransaction(ctx.db, async (trx) => {
    const s = await lockSession(trx, sessionId);
    if (!(await delegateOf(trx, sessionId, user.id)))
      throw new Forbidden('Only the delegates of this session may submit motions').because('congress_not_delegate');
    if (!windowOpen(ctx.today(), asDate(s.motions_open_on), asDate(s.motions_close_on)))
      throw new Conflict('The motion window is closed', [{ path: 'window', message: 'closed' }]).because('congress_window');
    const at = ctx.nowSql();
    const [id] = await trx('union_congress_motions').insert({
      session_id: sessionId,
      proposer_id: user.id,
      withhold_name: Boolean(input.withholdName),
      title: input.title.trim(),
      content: input.content.trim(),
      status: 'submitted',
      submitted_at: at,
    });
    await trx('union_congress_motion_history').insert({
      motion_id: Number(id),
      at,
      actor: user.id,
      action: 'submit',
      from_status: null,
      to_status: 'submitted',
      note: null,
    });
    await writeAudit(
      ctx,
      trx,
      { id: user.id, kind: 'user' },
      {
        action: 'congress_motion.submit',
        entity: 'congress_motion',
        entityId: Number(id),
        after: { status: 'submitted', sessionId },
      },
    );
    return { id: Number(id), status: 'submitted' as const };
  });
}

/** Another delegate of the session seconds (附议) a motion while it waits for the committee. */
export async function secondMotion(ctx: Ctx, user: UnionUser, motionId: number): Promise<{ seconders: number }> {
  return inTransaction(ctx.db, async (trx) => {
    const m = (await trx('union_congress_motions').where({ id: motionId }).first()) as MotionRow | undefined;
    if (!m) throw new NotFound(`No motion ${motionId}`);
    if (!(await delegateOf(trx, m.session_id, user.id)))
      throw new Forbidden('Only the delegates of this session may second motions').because('congress_not_delegate');
    if (m.proposer_id === user.id) throw Invalid.field('motion', 'is your own');
    if (m.status !== 'submitted') throw new Conflict(`The motion is ${m.status}`, [{ path: 'status', message: m.status }]);
    try {
      await trx('union_congress_seconders').insert({ motion_id: motionId, delegate_id: user.id, at: ctx.nowSql() });
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict('Seconded already', [{ path: 'seconder', message: 'already' }]);
      throw err;
    }
    await writeAudit(
      ctx,
      trx,
      { id: user.id, kind: 'user' },
      { action: 'congress_motion.second', entity: 'congress_motion', entityId: motionId },
    );
    const row = (await trx('union_congress_seconders').where({ motion_id: motionId }).count({ n: '*' }).first()) as { n: number | string };
    return { seconders: Number(row.n) };
  });
}

async function move<I>(
  ctx: Ctx,
  user: UnionUser,
  id: number,
  action: string,
  input: I,
  extra?: (trx: Parameters<Parameters<typeof inTransaction>[1]>[0]) => Promise<void>,
) {
  const moved = await inTransaction(ctx.db, async (trx) => {
    const m = await transition(ctx, trx, motionFlow, id, action, moverOf(user), input);
    await extra?.(trx);
    return m;
  });
  return moved;
}

const brief = (r: MotionRow) => ({ id: r.id, status: r.status, dueAt: r.due_at ?? null });

export async function acceptMotion(ctx: Ctx, user: UnionUser, id: number) {
  return brief((await move(ctx, user, id, 'accept', {})).after);
}

export async function convertMotion(ctx: Ctx, user: UnionUser, id: number, input: ReasonInput) {
  const { after } = await move(ctx, user, id, 'convert', input);
  await sendNotice(ctx, {
    to: [after.proposer_id],
    template: 'union.congress.motionConverted',
    key: 'congress.notices.converted',
    vars: { title: after.title },
    link: `/union/congress/motions/${id}`,
  });
  return brief(after);
}

export async function assignMotion(ctx: Ctx, user: UnionUser, id: number, input: AssignInput) {
  const supporting = [...new Set(input.supportingDepartmentIds ?? [])].filter((d) => d !== input.leadDepartmentId);
  const known = new Set((await ctx.host.employees.departments()).map((d) => d.id));
  if (!known.has(input.leadDepartmentId)) throw Invalid.field('body.leadDepartmentId', 'is not a department');
  const badDept = supporting.findIndex((d) => !known.has(d));
  if (badDept >= 0) throw Invalid.field(`body.supportingDepartmentIds.${badDept}`, 'is not a department');
  if ((await ctx.host.employees.get(input.answererId))?.status !== 'employed')
    throw Invalid.field('body.answererId', 'is not an employed person');
  const { after } = await move(ctx, user, id, 'assign', { ...input, supportingDepartmentIds: supporting }, async (trx) => {
    if (supporting.length)
      await trx('union_congress_motion_departments').insert(supporting.map((department_id) => ({ motion_id: id, department_id })));
  });
  await sendNotice(ctx, {
    to: [after.answerer_id!],
    template: 'union.congress.motionAssigned',
    key: 'congress.notices.assigned',
    vars: { title: after.title, due: asDate(after.due_date) ?? '' },
    link: `/union/congress/motions/${id}`,
  });
  return brief(after);
}

export async function answerMotion(ctx: Ctx, user: UnionUser, id: number, input: AnswerInput) {
  const { after } = await move(ctx, user, id, 'answer', input);
  await sendNotice(ctx, {
    to: [after.proposer_id],
    template: 'union.congress.motionAnswered',
    key: 'congress.notices.answered',
    vars: { title: after.title },
    link: `/union/congress/motions/${id}`,
  });
  return brief(after);
}

export async function rateMotion(ctx: Ctx, user: UnionUser, id: number, input: RateInput) {
  const { after, to } = await move(ctx, user, id, 'rate', input);
  if (to === 'assigned')
    await sendNotice(ctx, {
      to: [after.answerer_id!],
      template: 'union.congress.motionSentBack',
      key: 'congress.notices.sentBack',
      vars: { title: after.title, due: asDate(after.due_date) ?? '' },
      link: `/union/congress/motions/${id}`,
    });
  return brief(after);
}

export async function sessionOfMotion(ctx: Ctx, id: number) {
  const m = (await ctx.db('union_congress_motions').where({ id }).first('session_id')) as { session_id: number } | undefined;
  if (!m) throw new NotFound(`No motion ${id}`);
  return getSession(ctx, m.session_id);
}
