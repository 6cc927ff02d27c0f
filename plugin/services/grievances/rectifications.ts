/**
 * The owner of a quarterly rectification item (季度整改清单): the chair names who answers for the repeated
 * problem and when it is next checked. One writer: the item, a history row and an audit row in one
 * transaction; the new owner is told after the commit.
 */
import type { Actor, Ctx } from '../../context';
import { Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { asDate } from '../../lib/time';
import { departmentInScope, WHOLE_UNION, type Scope } from '../scope';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { categoryLabel } from './categories';

export interface OwnerInput {
  ownerId: string;
  nextCheckpoint?: string;
  note?: string;
}

export interface OwnerChange {
  at: string;
  actor: string;
  fromOwner: string | null;
  toOwner: string;
  nextCheckpoint: string | null;
  note: string | null;
}

export async function rectificationHistory(ctx: Ctx, id: number): Promise<OwnerChange[]> {
  const rows = await ctx.db('union_grievance_rectification_history').where({ rectification_id: id }).orderBy('id');
  return rows.map(
    (r: { at: string; actor: string; from_owner: string | null; to_owner: string; next_checkpoint: unknown; note: string | null }) => ({
      at: new Date(`${String(r.at).replace(' ', 'T')}Z`).toISOString(),
      actor: r.actor,
      fromOwner: r.from_owner,
      toOwner: r.to_owner,
      nextCheckpoint: asDate(r.next_checkpoint),
      note: r.note,
    }),
  );
}

/** Assigns or changes the owner of an item the caller's scope reaches (another branch's item: 404). */
export async function setRectificationOwner(ctx: Ctx, actor: Actor, id: number, input: OwnerInput, scope: Scope = WHOLE_UNION) {
  const person = await ctx.host.employees.get(input.ownerId);
  if (!person || person.status !== 'employed') throw Invalid.field('body.ownerId', 'is not an employed person');
  if (input.nextCheckpoint && input.nextCheckpoint < ctx.today()) throw Invalid.field('body.nextCheckpoint', 'is in the past');
  const item = await inTransaction(ctx.db, async (trx) => {
    const row = await lockForUpdate(trx, trx('union_grievance_rectifications').where({ id }).first());
    if (!row || !departmentInScope(scope, row.department_id)) throw new NotFound(`No rectification item ${id}`);
    const checkpoint = input.nextCheckpoint ?? asDate(row.next_checkpoint);
    if (row.owner_id === input.ownerId && checkpoint === asDate(row.next_checkpoint))
      throw Invalid.field('body.ownerId', 'is already the owner');
    await trx('union_grievance_rectifications').where({ id }).update({ owner_id: input.ownerId, next_checkpoint: checkpoint });
    await trx('union_grievance_rectification_history').insert({
      rectification_id: id,
      at: ctx.nowSql(),
      actor: actor.id,
      from_owner: row.owner_id,
      to_owner: input.ownerId,
      next_checkpoint: checkpoint,
      note: input.note?.trim() || null,
    });
    await writeAudit(ctx, trx, actor, {
      action: 'grievance.rectification.owner',
      entity: 'grievance_rectification',
      entityId: id,
      before: { ownerId: row.owner_id, nextCheckpoint: asDate(row.next_checkpoint) },
      after: { ownerId: input.ownerId, nextCheckpoint: checkpoint },
    });
    return { ...row, owner_id: input.ownerId, next_checkpoint: checkpoint };
  });
  await sendNotice(ctx, {
    to: [input.ownerId],
    template: 'union.grievance.rectificationOwner',
    key: 'grievances.notices.rectificationOwner',
    vars: { quarter: item.quarter, category: categoryLabel(ctx, item.category), checkpoint: asDate(item.next_checkpoint) ?? '—' },
    link: '/union/grievances/stats',
  });
  return { id, ownerId: input.ownerId, nextCheckpoint: asDate(item.next_checkpoint), history: await rectificationHistory(ctx, id) };
}
