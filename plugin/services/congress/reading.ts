/**
 * Motions and sessions as people may see them. One presenter applies the withholding: a proposer who
 * asked for it is named only to themselves, the committee and the union staff; the departments that
 * answer and the employees reading the public list see "name withheld".
 */
import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { NotFound } from '../../errors';
import { asDate } from '../../lib/time';
import { allowedActions } from '../workflow';
import { CongressPermissions as C } from '../../routes/congress/permissions';
import { motionFlow, type MotionRow } from './flow';
import { moverOf } from './motions';
import { attendanceOf, delegateOf, getSession } from './sessions';
import { resultOf, votesOf } from './votes';

type Names = Map<string, string>;

async function namesOf(ctx: Ctx, ids: string[]): Promise<Names> {
  const unique = [...new Set(ids.filter(Boolean))];
  return new Map(unique.length ? (await ctx.host.employees.getMany(unique)).map((e) => [e.id, e.name]) : []);
}

async function departmentNames(ctx: Ctx): Promise<Names> {
  return new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
}

/** Whether the viewer may see who proposed the motion. */
export function mayName(row: Pick<MotionRow, 'withhold_name' | 'proposer_id'>, user: UnionUser): boolean {
  if (!row.withhold_name) return true;
  return row.proposer_id === user.id || user.permissions.has(C.congressManage) || user.permissions.has(C.congressPrepare);
}

function present(row: MotionRow, user: UnionUser, names: Names, depts: Names, seconders: number) {
  const named = mayName(row, user);
  return {
    id: row.id,
    sessionId: row.session_id,
    title: row.title,
    content: row.content,
    status: row.status,
    proposer: named ? (names.get(row.proposer_id) ?? null) : null,
    withheld: !named,
    mine: row.proposer_id === user.id,
    seconders,
    committeeReason: row.committee_reason,
    leadDepartment: row.lead_department_id ? (depts.get(row.lead_department_id) ?? null) : null,
    answerer: row.answerer_id ? (names.get(row.answerer_id) ?? null) : null,
    answer: row.answer,
    answeredAt: row.answered_at,
    rating: row.rating,
    sentBack: row.sent_back,
    dueDate: asDate(row.due_date),
    dueAt: row.due_at ?? null,
    submittedAt: row.submitted_at,
  };
}

async function secondersOf(ctx: Ctx, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const rows = (await ctx
    .db('union_congress_seconders')
    .whereIn('motion_id', ids)
    .groupBy('motion_id')
    .select('motion_id')
    .count({ n: '*' })) as Array<{
    motion_id: number;
    n: number | string;
  }>;
  return new Map(rows.map((r) => [Number(r.motion_id), Number(r.n)]));
}

export async function listMotions(ctx: Ctx, user: UnionUser, sessionId: number) {
  const rows = (await ctx.db('union_congress_motions').where({ session_id: sessionId }).orderBy('id')) as MotionRow[];
  const [names, depts, sec] = await Promise.all([
    namesOf(
      ctx,
      rows.flatMap((r) => [r.proposer_id, r.answerer_id ?? '']),
    ),
    departmentNames(ctx),
    secondersOf(
      ctx,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((r) => present(r, user, names, depts, sec.get(r.id) ?? 0));
}

export async function viewMotion(ctx: Ctx, user: UnionUser, id: number) {
  const row = (await ctx.db('union_congress_motions').where({ id }).first()) as MotionRow | undefined;
  if (!row) throw new NotFound(`No motion ${id}`);
  const [supporting, history, sec] = await Promise.all([
    ctx.db('union_congress_motion_departments').where({ motion_id: id }).pluck('department_id') as Promise<string[]>,
    ctx.db('union_congress_motion_history').where({ motion_id: id }).orderBy('id').select('at', 'action', 'to_status', 'note'),
    secondersOf(ctx, [id]),
  ]);
  const [names, depts, delegate] = await Promise.all([
    namesOf(ctx, [row.proposer_id, row.answerer_id ?? '']),
    departmentNames(ctx),
    delegateOf(ctx.db, row.session_id, user.id),
  ]);
  return {
    ...present(row, user, names, depts, sec.get(id) ?? 0),
    supporting: supporting.map((d) => depts.get(d) ?? null).filter(Boolean),
    history: history.map((h: { at: string; action: string; to_status: string | null; note: string | null }) => ({
      at: h.at,
      action: h.action,
      status: h.to_status,
      note: h.note,
    })),
    actions: allowedActions(motionFlow, row, moverOf(user)),
    canSecond: Boolean(delegate) && row.status === 'submitted' && row.proposer_id !== user.id,
  };
}

/** The report the union gives the next session: every motion of this one and what became of it. */
export async function motionReport(ctx: Ctx, user: UnionUser, sessionId: number) {
  const items = await listMotions(ctx, user, sessionId);
  const count = (f: (m: (typeof items)[number]) => boolean) => items.filter(f).length;
  return {
    total: items.length,
    accepted: count((m) => !['submitted', 'suggestion'].includes(m.status)),
    suggestions: count((m) => m.status === 'suggestion'),
    answered: count((m) => ['answered', 'closed'].includes(m.status)),
    satisfied: count((m) => m.rating === 'satisfied' || m.rating === 'basically_satisfied'),
    dissatisfied: count((m) => m.rating === 'dissatisfied' && m.status === 'closed'),
    open: count((m) => ['submitted', 'accepted', 'assigned'].includes(m.status)),
    items,
  };
}

/** A session as its page shows it: attendance, votes with results (turnout only while open), my standing. */
export async function viewSession(ctx: Ctx, user: UnionUser, id: number) {
  const s = await getSession(ctx, id);
  const [att, votes, me, voted] = await Promise.all([
    attendanceOf(ctx.db, id),
    votesOf(ctx, id),
    delegateOf(ctx.db, id, user.id),
    ctx
      .db('union_congress_voters as v')
      .join('union_congress_votes as o', 'o.id', 'v.vote_id')
      .where({ 'o.session_id': id, 'v.delegate_id': user.id })
      .pluck('v.vote_id') as Promise<number[]>,
  ]);
  const mineVoted = new Set(voted.map(Number));
  return {
    id: s.id,
    title: s.title,
    term: s.term,
    sitting: s.sitting,
    startsOn: asDate(s.starts_on),
    endsOn: asDate(s.ends_on),
    agenda: s.agenda ? (JSON.parse(s.agenda) as string[]) : [],
    motionsOpenOn: asDate(s.motions_open_on),
    motionsCloseOn: asDate(s.motions_close_on),
    minutes: s.minutes,
    attendance: att,
    delegate: Boolean(me),
    present: Boolean(me?.present),
    votes: votes.map((v) => ({
      id: v.id,
      subject: v.subject,
      secret: Boolean(v.secret),
      status: v.status,
      result: resultOf(v),
      voted: mineVoted.has(v.id),
      canVote: v.status === 'open' && Boolean(me?.present) && !mineVoted.has(v.id),
    })),
  };
}

export async function listSessions(ctx: Ctx, user: UnionUser) {
  const rows = (await ctx
    .db('union_congress_sessions')
    .orderBy('id', 'desc')
    .limit(50)
    .select('id', 'title', 'term', 'sitting', 'starts_on')) as Array<{
    id: number;
    title: string;
    term: string | null;
    sitting: number | null;
    starts_on: unknown;
  }>;
  const mine = new Set(
    ((await ctx.db('union_congress_delegates').where({ employee_id: user.id }).pluck('session_id')) as number[]).map(Number),
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    term: r.term,
    sitting: r.sitting,
    startsOn: asDate(r.starts_on),
    delegate: mine.has(r.id),
  }));
}
