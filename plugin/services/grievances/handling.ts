import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { Invalid } from '../../errors';
import { inTransaction } from '../../lib/db';
import { transition } from '../workflow';
import { sendNotice } from '../notices';
import {
  grievanceFlow,
  pathDays,
  type FollowUpInput,
  type GrievanceRow,
  type HandlingPath,
  type NoteInput,
  type ReassignInput,
  type ResolveInput,
  type RouteInput,
} from './flow';
import { chairsOver } from './routing';
import { categoryLabel } from './categories';
import { moverOf } from './reading';

type Moved = { id: number; status: string; dueAt: string | null; assigneeId: string };

async function coordinatedDays(ctx: Ctx, id: number): Promise<number> {
  const row = await ctx
    .db('union_grievances as g')
    .join('union_grievance_categories as c', 'c.code', 'g.category')
    .where('g.id', id)
    .first('c.coordinated_days');
  return row?.coordinated_days ?? 5;
}

/** Runs one move of the transition table in one transaction (row, history, audit), then tells who needs to know. */
async function move<I>(
  ctx: Ctx,
  user: UnionUser,
  id: number,
  action: string,
  input: I,
  notify: (after: GrievanceRow, before: GrievanceRow) => Promise<void>,
) {
  const moved = await inTransaction(ctx.db, (trx) => transition(ctx, trx, grievanceFlow, id, action, moverOf(user), input));
  await notify(moved.after, moved.before);
  const dueAt = moved.after.due_at ? new Date(`${moved.after.due_at.replace(' ', 'T')}Z`).toISOString() : null;
  return { id, status: moved.to, dueAt, assigneeId: moved.after.assignee_id } satisfies Moved;
}

const link = (id: number) => `/union/grievances/${id}`;

/** The filer reads each step of progress (an anonymous offline case has no one to tell). */
function tellFiler(ctx: Ctx, key: string) {
  return async (row: GrievanceRow) => {
    if (!row.filer_id) return;
    await sendNotice(ctx, {
      to: [row.filer_id],
      template: `union.grievance.${key}`,
      key: `grievances.notices.${key}`,
      vars: { id: row.id },
      link: link(row.id),
    });
  };
}

/** The assignee or the chair chooses the handling path; its deadline counts from the day of receipt. */
export async function routeCase(ctx: Ctx, user: UnionUser, id: number, body: { path: HandlingPath; days?: number; nextRound?: string }) {
  if (body.days !== undefined && body.path !== 'coordinated') throw Invalid.field('body.days', 'applies to the coordinated path only');
  const days = body.path === 'coordinated' ? (body.days ?? (await coordinatedDays(ctx, id))) : pathDays(body.path, 0);
  const input: RouteInput = { path: body.path, days, nextRound: body.nextRound };
  return move(ctx, user, id, 'route', input, tellFiler(ctx, 'progress'));
}

export function addUpdate(ctx: Ctx, user: UnionUser, id: number, body: NoteInput) {
  return move(ctx, user, id, 'update', body, tellFiler(ctx, 'progress'));
}

/** 待补充材料: the clock pauses until the employee answers. */
export function requestInfo(ctx: Ctx, user: UnionUser, id: number, body: NoteInput) {
  return move(ctx, user, id, 'request_info', body, tellFiler(ctx, 'needInfo'));
}

/** The employee (or the assignee, for an offline filer) supplies what was asked; the clock resumes with what was left. */
export function supplyInfo(ctx: Ctx, user: UnionUser, id: number, body: NoteInput) {
  return move(ctx, user, id, 'supply', body, async (row) => {
    if (row.assignee_id === user.id) return;
    await sendNotice(ctx, {
      to: [row.assignee_id],
      template: 'union.grievance.supplied',
      key: 'grievances.notices.supplied',
      vars: { id },
      link: link(id),
    });
  });
}

export function resolveCase(ctx: Ctx, user: UnionUser, id: number, body: ResolveInput) {
  return move(ctx, user, id, 'resolve', body, tellFiler(ctx, 'resolved'));
}

/**
 * The follow-up (回访): 满意 / 基本满意 closes the case; 不满意 reopens it with a fresh deadline of its path
 * and tells the chair; a second 不满意 hands it to the chair.
 */
export async function followUp(ctx: Ctx, user: UnionUser, id: number, body: Omit<FollowUpInput, 'days' | 'escalateTo'>) {
  const row: GrievanceRow | undefined = await ctx.db('union_grievances').where({ id }).first();
  const dissatisfied = body.evaluation === 'dissatisfied';
  const chairIds = dissatisfied ? await chairsOver(ctx, row?.department_id ?? null) : [];
  const days = row?.path ? pathDays(row.path as HandlingPath, await coordinatedDays(ctx, id)) : await coordinatedDays(ctx, id);
  const escalateTo = dissatisfied && row && row.reopened_count >= 1 ? (chairIds[0] ?? null) : null;
  return move(ctx, user, id, 'follow_up', { ...body, days, escalateTo } satisfies FollowUpInput, async (after) => {
    if (!dissatisfied || !chairIds.length) return;
    await sendNotice(ctx, {
      to: chairIds,
      template: 'union.grievance.dissatisfied',
      key: escalateTo ? 'grievances.notices.escalatedToChair' : 'grievances.notices.dissatisfied',
      vars: { id, category: categoryLabel(ctx, after.category) },
      link: link(id),
    });
  });
}

/** Hands a case to someone else, with the reason; the new assignee is told. */
export async function reassign(ctx: Ctx, user: UnionUser, id: number, body: ReassignInput) {
  const person = await ctx.host.employees.get(body.to);
  if (!person || person.status !== 'employed') throw Invalid.field('body.to', 'is not an employed person');
  return move(ctx, user, id, 'reassign', body, async (row) => {
    await sendNotice(ctx, {
      to: [row.assignee_id],
      template: 'union.grievance.assigned',
      key: 'grievances.notices.assigned',
      vars: { id, category: categoryLabel(ctx, row.category) },
      link: link(id),
    });
  });
}
