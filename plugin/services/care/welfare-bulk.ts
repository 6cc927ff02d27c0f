import { randomUUID } from 'node:crypto';
import type { Actor, Ctx } from '../../context';
import { chunks } from '../../lib/db';
import { errorShape } from '../../lib/log-safe';
import { Invalid, NotFound } from '../../errors';
import { withNames, type GroupCard } from './group-lists';
import { planGaps } from './welfare-gaps';
import { recordPayments } from './welfare';

/** People per chunk of a bulk payment: one transaction, one audit row and one progress step each. */
export const BULK_CHUNK = 1000;

/** Who is still owed for a plan and period (entitled, not yet paid): one page in id order, with names. */
export async function unpaidPage(
  ctx: Ctx,
  planId: number,
  period: string,
  opts: { limit: number; after?: string | null },
): Promise<{ total: number; items: Array<Omit<GroupCard, 'hireDate' | 'retireMonth'>>; nextAfter: string | null }> {
  const { missing } = await planGaps(ctx, planId, period);
  const from = opts.after ? missing.findIndex((m) => m.employeeId > opts.after!) : 0;
  const slice = from < 0 ? [] : missing.slice(from, from + opts.limit);
  const more = from >= 0 && from + opts.limit < missing.length;
  const cards = await withNames(
    ctx,
    slice.map((m) => ({ employeeId: m.employeeId, hireDate: null, retireMonth: null })),
  );
  return {
    total: missing.length,
    items: cards.map(({ employeeId, name, employeeNo, department }) => ({ employeeId, name, employeeNo, department })),
    nextAfter: more ? slice[slice.length - 1].employeeId : null,
  };
}

export interface BatchProgress {
  id: string;
  planId: number;
  period: string;
  total: number;
  processed: number;
  status: 'running' | 'done' | 'failed';
  error: string | null;
}

/**
 * "Select all across pages, mark paid": everyone still owed for the plan and period is recorded in the
 * background, a chunk at a time (each chunk is recordPayments: its limits, its transaction, its audit row,
 * its notices), while the batch row counts progress for the page. Returns at once with the batch id. The
 * list is read when the run starts, so a second run pays only who the first did not reach.
 */
export async function startPayAll(
  ctx: Ctx,
  actor: Actor,
  input: { planId: number; period: string },
): Promise<{ batch: string; total: number }> {
  const ids = (await planGaps(ctx, input.planId, input.period)).missing.map((m) => m.employeeId);
  if (!ids.length) throw Invalid.field('planId', 'nobody entitled in this period is still unpaid');
  const batch = randomUUID();
  const now = ctx.nowSql();
  await ctx.db('union_welfare_batches').insert({
    id: batch,
    plan_id: input.planId,
    period: input.period,
    kind: 'all',
    total: ids.length,
    processed: 0,
    status: 'running',
    started_by: actor.id,
    started_at: now,
    updated_at: now,
  });
  void payInChunks(ctx, actor, { ...input, batch, ids });
  return { batch, total: ids.length };
}

async function payInChunks(ctx: Ctx, actor: Actor, run: { planId: number; period: string; batch: string; ids: string[] }) {
  let processed = 0;
  const mark = (fields: Record<string, unknown>) =>
    ctx
      .db('union_welfare_batches')
      .where({ id: run.batch })
      .update({ ...fields, updated_at: ctx.nowSql() });
  try {
    for (const part of chunks(run.ids, BULK_CHUNK)) {
      await recordPayments(ctx, actor, { planId: run.planId, period: run.period, employeeIds: part }, run.batch);
      processed += part.length;
      await mark({ processed });
    }
    await mark({ status: 'done' });
  } catch (err) {
    ctx.host.logger.error({ err: errorShape(err), batch: run.batch }, 'union: a bulk welfare payment stopped');
    // What was recorded stays recorded (each chunk committed); the message says where it stopped and why.
    await mark({ status: 'failed', error: String((err as Error).message ?? err).slice(0, 500) }).catch(() => undefined);
  }
}

export async function batchProgress(ctx: Ctx, id: string): Promise<BatchProgress> {
  const r = await ctx.db('union_welfare_batches').where({ id }).first();
  if (!r) throw new NotFound('No such payment batch');
  return {
    id: r.id,
    planId: Number(r.plan_id),
    period: r.period,
    total: Number(r.total),
    processed: Number(r.processed),
    status: r.status,
    error: r.error,
  };
}
