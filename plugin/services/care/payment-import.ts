import { randomUUID } from 'node:crypto';
import type { Actor, Ctx } from '../../context';
import { chunks, inTransaction, lockForUpdate } from '../../lib/db';
import { Conflict, NotFound } from '../../errors';
import { loadPeople } from '../../sync/ledger-import';
import { findPerson, ledgerKeys } from '../../sync/ledger-match';
import { parsePayments, type PaymentRow } from '../../sync/payment-parse';
import { writeAudit } from '../audit';
import { entitledQuery } from './welfare-gaps';
import { getPlan, tellPaid, writePayments } from './welfare';

export const IMPORT_CLASSES = ['matched', 'not_entitled', 'duplicate', 'unmatched', 'invalid'] as const;
export type ImportClass = (typeof IMPORT_CLASSES)[number];

export interface ImportReason {
  code: string;
  /** The column as the file calls it; with `line`, what a person needs to find the cell. */
  column?: string;
  value?: string;
  /** The earlier row this one repeats (its line in the sheet). */
  row?: string;
}

export interface ClassedRow {
  line: number;
  class: ImportClass;
  employeeId: string | null;
  reason: ImportReason | null;
}

/**
 * Classes finance's rows against the host's people (as the legacy-ledger import matches them), the plan's
 * entitled list for the period and the payments already recorded. Pure: every lookup is given.
 */
export function classPayments(
  rows: PaymentRow[],
  find: (r: PaymentRow) => ReturnType<typeof findPerson>,
  entitled: Set<string>,
  alreadyPaid: Set<string>,
  plan: { amountCents: number | null; amountColumn: string },
): ClassedRow[] {
  const seen = new Map<string, string>();
  return rows.map((r) => {
    const out = (cls: ImportClass, employeeId: string | null, reason: ImportReason | null = null): ClassedRow => ({
      line: r.line,
      class: cls,
      employeeId,
      reason,
    });
    if (r.problems.length) return out('invalid', null, r.problems[0]);
    const found = find(r);
    if (!found.person) return out('unmatched', null, found.reason);
    const id = found.person.id;
    if (r.amountCents !== null && plan.amountCents !== null && r.amountCents !== plan.amountCents)
      return out('invalid', id, { code: 'amount_differs', column: plan.amountColumn, value: (r.amountCents / 100).toFixed(2) });
    const earlier = seen.get(id);
    if (earlier !== undefined) return out('duplicate', id, { code: 'duplicate_of', row: earlier });
    seen.set(id, String(r.line));
    if (alreadyPaid.has(id)) return out('duplicate', id, { code: 'already_paid' });
    if (!entitled.has(id)) return out('not_entitled', id, { code: 'not_entitled' });
    return out('matched', id);
  });
}

const emptyCounts = () => Object.fromEntries(IMPORT_CLASSES.map((c) => [c, 0])) as Record<ImportClass, number>;

/**
 * The dry run: reads the file (the ledger import's hostile-file protections apply), classes every row and
 * stores the classes, writing no payment. Returns the import's id and counts.
 */
export async function dryRunPayments(
  ctx: Ctx,
  actor: Actor,
  input: { planId: number; period: string; file: { buffer: Buffer; filename: string } },
): Promise<{ id: number; counts: Record<ImportClass, number> }> {
  const plan = await getPlan(ctx, input.planId);
  const parsed = await parsePayments(input.file.buffer);
  const people = await loadPeople(ctx, ledgerKeys(parsed.rows));
  const [entitledRows, paidRows] = await Promise.all([
    entitledQuery(ctx, plan, input.period),
    ctx.db('union_welfare_payments').where({ plan_id: plan.id, period: input.period }).distinct('employee_id'),
  ]);
  const cols = {
    name: parsed.columns.name ?? '姓名',
    department: parsed.columns.department ?? '部门',
    employeeNo: parsed.columns.employeeNo ?? '工号',
  };
  const classed = classPayments(
    parsed.rows,
    (r) => findPerson(r, people, cols),
    new Set(entitledRows.map((r) => r.employee_id)),
    new Set(paidRows.map((r: { employee_id: string }) => r.employee_id)),
    { amountCents: plan.amount_cents, amountColumn: parsed.columns.amount ?? '金额' },
  );
  const counts = emptyCounts();
  for (const r of classed) counts[r.class]++;
  const id = await inTransaction(ctx.db, async (trx) => {
    const [importId] = await trx('union_welfare_imports').insert({
      plan_id: plan.id,
      period: input.period,
      filename: input.file.filename.slice(0, 255),
      status: 'dry_run',
      counts: JSON.stringify(counts),
      created_by: actor.id,
      created_at: ctx.nowSql(),
    });
    for (const part of chunks(classed, 1000)) {
      await trx('union_welfare_import_rows').insert(
        part.map((r) => ({
          import_id: importId,
          line: r.line,
          class: r.class,
          employee_id: r.employeeId,
          reason: r.reason ? JSON.stringify(r.reason).slice(0, 500) : null,
        })),
      );
    }
    await writeAudit(ctx, trx, actor, {
      action: 'welfare.import.dry_run',
      entity: 'welfare_import',
      entityId: Number(importId),
      after: { planId: plan.id, period: input.period, filename: input.file.filename, counts },
    });
    return Number(importId);
  });
  return { id, counts };
}

export async function getImport(ctx: Ctx, id: number, opts: { limit: number; afterLine?: number; cls?: ImportClass }) {
  const imp = await ctx.db('union_welfare_imports').where({ id }).first();
  if (!imp) throw new NotFound('No such payment import');
  const q = ctx.db('union_welfare_import_rows').where({ import_id: id }).orderBy('line').limit(opts.limit);
  if (opts.cls) q.where({ class: opts.cls });
  if (opts.afterLine) q.where('line', '>', opts.afterLine);
  const rows = await q.select('line', 'class', 'employee_id', 'reason');
  return {
    id: Number(imp.id),
    planId: Number(imp.plan_id),
    period: String(imp.period),
    filename: String(imp.filename),
    status: String(imp.status) as 'dry_run' | 'committed',
    counts: JSON.parse(imp.counts) as Record<ImportClass, number>,
    rows: rows.map((r: { line: number; class: ImportClass; employee_id: string | null; reason: string | null }) => ({
      line: r.line,
      class: r.class,
      employeeId: r.employee_id,
      reason: r.reason ? (JSON.parse(r.reason) as ImportReason) : null,
    })),
  };
}

/**
 * The commit: the matched rows of a dry run become payments in one transaction (the import row locked, so
 * a second commit waits and then finds it committed: 409). Someone paid since the dry run makes it stale:
 * 409, run the dry run again. Each person is told after the commit.
 */
export async function commitPayments(ctx: Ctx, actor: Actor, importId: number): Promise<{ recorded: number; batch: string }> {
  const batch = randomUUID();
  const out = await inTransaction(ctx.db, async (trx) => {
    const imp = await lockForUpdate(trx, trx('union_welfare_imports').where({ id: importId })).first();
    if (!imp) throw new NotFound('No such payment import');
    if (imp.status !== 'dry_run') throw new Conflict(`This import is ${imp.status}`, [{ path: 'status', message: String(imp.status) }]);
    const ids: string[] = (
      await trx('union_welfare_import_rows').where({ import_id: importId, class: 'matched' }).select('employee_id')
    ).map((r: { employee_id: string }) => r.employee_id);
    for (const part of chunks(ids, 1000)) {
      const paid = await trx('union_welfare_payments')
        .where({ plan_id: imp.plan_id, period: imp.period })
        .whereIn('employee_id', part)
        .first('employee_id');
      if (paid)
        throw new Conflict('Someone in this import was paid since the dry run; run the dry run again', [
          { path: 'status', message: 'stale' },
        ]);
    }
    const input = { planId: Number(imp.plan_id), period: String(imp.period), employeeIds: ids };
    const written = ids.length ? await writePayments(ctx, trx, actor, input, batch) : { recorded: 0, batch, planName: '' };
    await trx('union_welfare_imports')
      .where({ id: importId })
      .update({ status: 'committed', committed_by: actor.id, committed_at: ctx.nowSql() });
    await writeAudit(ctx, trx, actor, {
      action: 'welfare.import.committed',
      entity: 'welfare_import',
      entityId: importId,
      after: { batch, recorded: written.recorded },
    });
    return { ...written, input };
  });
  if (out.recorded) await tellPaid(ctx, out.input, out.planName);
  return { recorded: out.recorded, batch };
}
