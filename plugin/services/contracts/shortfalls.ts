/**
 * Shortfall cases: opened by staff with what the company failed to do, moved only through the
 * transition table (shortfall-flow.ts) by `moveShortfall`, read by staff with their history and files.
 */
import type { Actor, Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { Invalid, NotFound } from '../../errors';
import { inTransaction } from '../../lib/db';
import { asDate } from '../../lib/time';
import { writeAudit } from '../audit';
import { allowedActions, transition, type Mover } from '../workflow';
import { countFiles, listFiles } from './files';
import { shortfallFlow, type ShortfallKind, type ShortfallRow, type StepInput } from './shortfall-flow';

export interface OpenInput {
  kind: ShortfallKind;
  summary: string;
  contractId?: number;
  clauseId?: number;
}

const moverOf = (user: UnionUser): Mover => ({ id: user.id, kind: 'user', grants: user.permissions });

export async function openShortfall(ctx: Ctx, actor: Actor, input: OpenInput): Promise<{ id: number; status: string }> {
  return inTransaction(ctx.db, async (trx) => {
    if (input.contractId !== undefined && !(await trx('union_contracts').where({ id: input.contractId }).first('id')))
      throw Invalid.field('body.contractId', 'names no contract');
    if (input.clauseId !== undefined) {
      const clause = await trx('union_contract_clauses').where({ id: input.clauseId }).first('contract_id');
      if (!clause || (input.contractId !== undefined && clause.contract_id !== input.contractId))
        throw Invalid.field('body.clauseId', 'names no clause of the contract');
    }
    const at = ctx.nowSql();
    const [id] = await trx('union_shortfalls').insert({
      kind: input.kind,
      summary: input.summary.trim(),
      contract_id: input.contractId ?? null,
      clause_id: input.clauseId ?? null,
      status: 'evidence',
      opened_on: ctx.today(),
      opened_by: actor.id,
      opened_at: at,
    });
    await trx('union_shortfall_history').insert({
      shortfall_id: id,
      at,
      actor: actor.id,
      action: 'open',
      from_status: null,
      to_status: 'evidence',
      note: null,
    });
    await writeAudit(ctx, trx, actor, {
      action: 'shortfall.open',
      entity: 'shortfall',
      entityId: id,
      after: { kind: input.kind, status: 'evidence' },
    });
    return { id, status: 'evidence' };
  });
}

export type StepBody = { on?: string; note?: string; days?: number; to?: StepInput['to'] };

/** One step of the ladder; the table decides whether it is legal now (409 naming the state) and what it needs. */
export async function moveShortfall(ctx: Ctx, user: UnionUser, id: number, action: string, body: StepBody) {
  const today = ctx.today();
  const moved = await inTransaction(ctx.db, async (trx) => {
    const input: StepInput = { ...body, on: body.on ?? today, today, evidenceFiles: await countFiles(ctx, 'shortfall', id, trx) };
    return transition(ctx, trx, shortfallFlow, id, action, moverOf(user), input);
  });
  return { id, status: moved.to, dueDate: asDate(moved.after.due_date) };
}

function present(r: ShortfallRow, now: string) {
  return {
    id: r.id,
    kind: r.kind,
    summary: r.summary,
    contractId: r.contract_id,
    clauseId: r.clause_id,
    status: r.status,
    dueDate: asDate(r.due_date),
    overdue: Boolean(r.due_at && r.due_at < now),
    steps: {
      opened: asDate(r.opened_on),
      prompted: asDate(r.prompted_on),
      consulted: asDate(r.consulted_on),
      letter: asDate(r.letter_on),
      checked: asDate(r.checked_on),
      closed: asDate(r.closed_on),
    },
    handedTo: r.handed_to,
  };
}

export async function listShortfalls(ctx: Ctx) {
  const rows: ShortfallRow[] = await ctx.db('union_shortfalls').orderBy('id', 'desc').limit(200);
  const now = ctx.nowSql();
  return rows.map((r) => present(r, now));
}

export async function viewShortfall(ctx: Ctx, user: UnionUser, id: number) {
  const row = (await ctx.db('union_shortfalls').where({ id }).first()) as ShortfallRow | undefined;
  if (!row) throw new NotFound(`No shortfall ${id}`);
  const [history, files] = await Promise.all([
    ctx
      .db('union_shortfall_history')
      .where({ shortfall_id: id })
      .orderBy('id')
      .select('at', 'actor', 'action', 'from_status', 'to_status', 'note'),
    listFiles(ctx, 'shortfall', id),
  ]);
  return {
    ...present(row, ctx.nowSql()),
    actions: allowedActions(shortfallFlow, row, moverOf(user)),
    files,
    history: history.map((h: Record<string, unknown>) => ({
      at: h.at,
      actor: h.actor,
      action: h.action,
      from: h.from_status,
      to: h.to_status,
      note: h.note,
    })),
  };
}
