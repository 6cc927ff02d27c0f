import type { Actor, Ctx, Trx } from '../../context';
import { Conflict, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { orgsForDepartments } from '../orgs';
import { writeAudit } from '../audit';
import { categoryFrom, quorumMet, type DelegateCategory } from './rules';

export interface SessionInput {
  title: string;
  delegates: string[];
  term?: string;
  sitting?: number;
  startsOn?: string;
  endsOn?: string;
  agenda?: string[];
  motionsOpenOn?: string;
  motionsCloseOn?: string;
  managerMaxPct?: number | null;
  womenMinPct?: number | null;
  frontLineMinPct?: number | null;
}

export interface DelegateInput {
  employeeId: string;
  category?: DelegateCategory;
  votesReceived?: number;
  electedOn?: string;
}

export interface SessionRow {
  id: number;
  title: string;
  term: string | null;
  sitting: number | null;
  starts_on: unknown;
  ends_on: unknown;
  agenda: string | null;
  motions_open_on: unknown;
  motions_close_on: unknown;
  manager_max_pct: number | null;
  women_min_pct: number | null;
  front_line_min_pct: number | null;
  minutes: string | null;
}

/** The union's default composition rule: managers at most 20% of the delegates (职代会条例's usual share). */
const DEFAULT_MANAGER_MAX = 20;

/**
 * Delegate rows from the host's records, read in one call before any transaction (on SQLite the host
 * shares the one connection): unknown or departed people are refused with the index of the field at
 * fault. Gender and category are taken as they are on the day of the election.
 */
async function delegateRows(ctx: Ctx, input: DelegateInput[], field: string) {
  const ids = input.map((d) => d.employeeId);
  const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (dup >= 0) throw Invalid.field(`${field}.${dup}`, 'is listed twice');
  const people = new Map((await ctx.host.employees.getMany(ids)).map((e) => [e.id, e]));
  const bad = ids.findIndex((id) => people.get(id)?.status !== 'employed');
  if (bad >= 0) throw Invalid.field(`${field}.${bad}`, 'is not an employed person');
  const orgOf = await orgsForDepartments(
    ctx.db,
    [...people.values()].map((e) => e.departmentId),
  );
  return (sessionId: number) =>
    input.map((d) => {
      const e = people.get(d.employeeId)!;
      return {
        session_id: sessionId,
        employee_id: e.id,
        org_id: orgOf(e.departmentId),
        category: d.category ?? categoryFrom(e as typeof e & { manager?: unknown }),
        female: e.gender === 'F',
        votes_received: d.votesReceived ?? null,
        elected_on: d.electedOn ?? null,
        present: false,
      };
    });
}

export async function createSession(ctx: Ctx, actor: Actor, input: SessionInput): Promise<{ id: number }> {
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) throw Invalid.field('body.endsOn', 'is before startsOn');
  const rowsFor = await delegateRows(
    ctx,
    input.delegates.map((employeeId) => ({ employeeId })),
    'body.delegates',
  );
  return inTransaction(ctx.db, async (trx) => {
    const [id] = await trx('union_congress_sessions').insert({
      title: input.title.trim(),
      term: input.term ?? null,
      sitting: input.sitting ?? null,
      starts_on: input.startsOn ?? null,
      ends_on: input.endsOn ?? null,
      agenda: input.agenda?.length ? JSON.stringify(input.agenda) : null,
      motions_open_on: input.motionsOpenOn ?? null,
      motions_close_on: input.motionsCloseOn ?? null,
      manager_max_pct: input.managerMaxPct === undefined ? DEFAULT_MANAGER_MAX : input.managerMaxPct,
      women_min_pct: input.womenMinPct ?? null,
      front_line_min_pct: input.frontLineMinPct ?? null,
      created_by: actor.id,
      created_at: ctx.nowSql(),
    });
    const rows = rowsFor(Number(id));
    if (rows.length) await trx('union_congress_delegates').insert(rows);
    await writeAudit(ctx, trx, actor, {
      action: 'congress.session.created',
      entity: 'congress_session',
      entityId: Number(id),
      after: { title: input.title, delegates: rows.length },
    });
    return { id: Number(id) };
  });
}

/** Locks the session row: attendance, delegates and opening a vote serialise on it. */
export async function lockSession(trx: Trx, id: number): Promise<SessionRow> {
  const row = (await lockForUpdate(trx, trx('union_congress_sessions').where({ id }).first())) as SessionRow | undefined;
  if (!row) throw new NotFound(`No congress session ${id}`);
  return row;
}

export async function getSession(ctx: Ctx, id: number): Promise<SessionRow> {
  const row = (await ctx.db('union_congress_sessions').where({ id }).first()) as SessionRow | undefined;
  if (!row) throw new NotFound(`No congress session ${id}`);
  return row;
}

/**
 * Adds delegates by election result (or updates a delegate's result). The list is frozen once a vote
 * has opened: the majority of every vote is counted against the delegates as they were.
 */
export async function addDelegates(ctx: Ctx, actor: Actor, sessionId: number, input: DelegateInput[]): Promise<{ total: number }> {
  const rowsFor = await delegateRows(ctx, input, 'body.delegates');
  return inTransaction(ctx.db, async (trx) => {
    await lockSession(trx, sessionId);
    if (await trx('union_congress_votes').where({ session_id: sessionId }).first('id'))
      throw new Conflict('Delegates cannot change once the session has voted', [{ path: 'delegates', message: 'frozen' }]);
    const rows = rowsFor(sessionId);
    await trx('union_congress_delegates')
      .insert(rows)
      .onConflict(['session_id', 'employee_id'])
      .merge(['category', 'votes_received', 'elected_on', 'org_id', 'female']);
    const total = await countDelegates(trx, sessionId);
    await writeAudit(ctx, trx, actor, {
      action: 'congress.delegates.added',
      entity: 'congress_session',
      entityId: sessionId,
      after: { added: rows.map((r) => r.employee_id), total },
    });
    return { total };
  });
}

async function countDelegates(trx: Trx, sessionId: number, presentOnly = false): Promise<number> {
  const q = trx('union_congress_delegates').where({ session_id: sessionId });
  if (presentOnly) q.where({ present: true });
  const row = (await q.count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

export interface Attendance {
  present: number;
  total: number;
  quorumMet: boolean;
}

/** Records who is present (the whole list each time: a correction is the list again). */
export async function recordAttendance(ctx: Ctx, actor: Actor, sessionId: number, present: string[]): Promise<Attendance> {
  return inTransaction(ctx.db, async (trx) => {
    await lockSession(trx, sessionId);
    const delegates = new Set((await trx('union_congress_delegates').where({ session_id: sessionId }).pluck('employee_id')) as string[]);
    const bad = present.findIndex((id) => !delegates.has(id));
    if (bad >= 0) throw Invalid.field(`body.present.${bad}`, 'is not a delegate of this session');
    const unique = [...new Set(present)];
    await trx('union_congress_delegates').where({ session_id: sessionId }).update({ present: false });
    if (unique.length)
      await trx('union_congress_delegates').where({ session_id: sessionId }).whereIn('employee_id', unique).update({ present: true });
    const out = { present: unique.length, total: delegates.size, quorumMet: quorumMet(unique.length, delegates.size) };
    await writeAudit(ctx, trx, actor, {
      action: 'congress.attendance',
      entity: 'congress_session',
      entityId: sessionId,
      after: out,
    });
    return out;
  });
}

export async function attendanceOf(db: Ctx['db'] | Trx, sessionId: number): Promise<Attendance> {
  const row = (await db('union_congress_delegates')
    .where({ session_id: sessionId })
    .select(db.raw('count(*) as total'), db.raw('coalesce(sum(case when present then 1 else 0 end), 0) as present'))
    .first()) as { total: number | string; present: number | string };
  const total = Number(row.total);
  const present = Number(row.present);
  return { present, total, quorumMet: quorumMet(present, total) };
}

/** The caller's delegate row in a session, or null. */
export async function delegateOf(db: Ctx['db'] | Trx, sessionId: number, employeeId: string) {
  return ((await db('union_congress_delegates').where({ session_id: sessionId, employee_id: employeeId }).first()) ?? null) as {
    present: number | boolean;
  } | null;
}

export async function saveMinutes(ctx: Ctx, actor: Actor, sessionId: number, minutes: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const before = await lockSession(trx, sessionId);
    await trx('union_congress_sessions').where({ id: sessionId }).update({ minutes });
    await writeAudit(ctx, trx, actor, {
      action: 'congress.minutes',
      entity: 'congress_session',
      entityId: sessionId,
      before: { length: before.minutes?.length ?? 0 },
      after: { length: minutes.length },
    });
  });
}
