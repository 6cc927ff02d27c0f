/**
 * Quarterly compliance checks. The job (`contracts-checks`, daily under its lease) opens the current
 * quarter's check for every contract in force, one item per clause with the day its data is due
 * (the clause's working days after opening), and flags data deliveries that passed their day, telling
 * staff once. Staff record per item when the data came and whether the clause was met.
 */
import type { Actor, Ctx } from '../../context';
import { Conflict, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { asDate } from '../../lib/time';
import { loadCalendar } from '../../lib/workdays';
import { writeAudit, writeAuditMany } from '../audit';
import { sendNotice } from '../notices';
import { peopleWithRole } from '../roles';
import { chaseOverdueShortfalls } from './shortfall-overdue';
import { dataOverdue, quarterOf, type CheckResult } from './rules';

const JOB: Actor = { id: 'job:contracts-checks', kind: 'job' };

/** Opens this quarter's check for every contract in force that has none yet; returns how many it opened. */
export async function openQuarterChecks(ctx: Ctx, actor: Actor = JOB): Promise<number> {
  const today = ctx.today();
  const quarter = quarterOf(today);
  const cal = await loadCalendar(ctx.db);
  return inTransaction(ctx.db, async (trx) => {
    const due: Array<{ id: number }> = await trx('union_contracts as c')
      .where('c.starts_on', '<=', today)
      .where('c.ends_on', '>=', today)
      .whereNotExists(trx('union_contract_checks as k').whereRaw('k.contract_id = c.id').where('k.quarter', quarter))
      .select('c.id');
    for (const c of due) {
      const [checkId] = await trx('union_contract_checks').insert({ contract_id: c.id, quarter, opened_on: today, opened_by: actor.id });
      const clauses: Array<{ id: number; data_due_days: number }> = await trx('union_contract_clauses')
        .where({ contract_id: c.id })
        .select('id', 'data_due_days');
      if (clauses.length)
        await trx('union_contract_check_items').insert(
          clauses.map((cl) => ({
            check_id: checkId,
            contract_id: c.id,
            clause_id: cl.id,
            data_due_date: cal.addWorkingDays(today, cl.data_due_days),
            data_due_estimated: cal.estimated,
          })),
        );
    }
    await writeAuditMany(
      ctx,
      trx,
      actor,
      due.map((c) => ({ action: 'contract.checkOpened', entity: 'contract', entityId: c.id, after: { quarter } })),
    );
    return due.length;
  });
}

/**
 * Marks data deliveries whose due day has passed without them, each once (a conditional UPDATE, so a
 * second run or instance finds nothing), and tells staff once per run that found any.
 */
export async function flagOverdueData(ctx: Ctx): Promise<number> {
  const today = ctx.today();
  const flagged = await inTransaction(ctx.db, async (trx) => {
    const rows: Array<{ id: number; contract_id: number }> = await trx('union_contract_check_items')
      .whereNull('data_received_on')
      .whereNull('result')
      .whereNull('data_overdue_at')
      .where('data_due_date', '<', today)
      .select('id', 'contract_id');
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    await trx('union_contract_check_items').whereIn('id', ids).whereNull('data_overdue_at').update({ data_overdue_at: ctx.nowSql() });
    await writeAuditMany(
      ctx,
      trx,
      JOB,
      rows.map((r) => ({ action: 'contract.dataOverdue', entity: 'contract_item', entityId: r.id, after: { contractId: r.contract_id } })),
    );
    return rows;
  });
  if (flagged.length)
    await sendNotice(ctx, {
      to: await peopleWithRole(ctx, 'union.staff'),
      template: 'union.contract.dataOverdue',
      key: 'contracts.notices.dataOverdue',
      vars: { count: flagged.length },
      link: '/union/contracts/review',
    });
  return flagged.length;
}

/** The daily job: open the quarter's checks, flag overdue data, chase shortfall cases past their step's deadline. */
export async function runChecksJob(ctx: Ctx): Promise<{ opened: number; flagged: number; chased: number }> {
  const opened = await openQuarterChecks(ctx);
  const flagged = await flagOverdueData(ctx);
  return { opened, flagged, chased: await chaseOverdueShortfalls(ctx) };
}

export interface ItemInput {
  result?: CheckResult;
  note?: string;
  dataReceivedOn?: string;
}

interface ItemRow {
  id: number;
  check_id: number;
  data_received_on: unknown;
  result: CheckResult | null;
  note: string | null;
}

/**
 * Records on one check item when the company's data arrived and/or what the check found. A clause is
 * judged met or not met only on data received; without it the finding is data_missing.
 */
export async function recordItem(ctx: Ctx, actor: Actor, id: number, input: ItemInput, checkId?: number) {
  const today = ctx.today();
  if (input.result === undefined && input.dataReceivedOn === undefined)
    throw Invalid.field('body.result', 'is required unless dataReceivedOn is given');
  if (input.dataReceivedOn && input.dataReceivedOn > today) throw Invalid.field('body.dataReceivedOn', 'must not be in the future');
  return inTransaction(ctx.db, async (trx) => {
    const row = (await lockForUpdate(trx, trx('union_contract_check_items').where({ id }).first())) as ItemRow | undefined;
    if (!row || (checkId !== undefined && row.check_id !== checkId)) throw new NotFound(`No check item ${id}`);
    const received = input.dataReceivedOn ?? asDate(row.data_received_on);
    if ((input.result === 'met' || input.result === 'not_met') && !received)
      throw Invalid.field('body.dataReceivedOn', 'is required: a clause is judged met or not met on the data the company delivered');
    if (input.result === 'data_missing' && received)
      throw new Conflict('The data was delivered; record met or not met', [{ path: 'body.result', message: 'data was delivered' }]);
    const changes: Record<string, unknown> = { data_received_on: received };
    if (input.result) Object.assign(changes, { result: input.result, recorded_by: actor.id, recorded_at: ctx.nowSql() });
    if (input.note !== undefined) changes.note = input.note.trim() || null;
    await trx('union_contract_check_items').where({ id }).update(changes);
    await writeAudit(ctx, trx, actor, {
      action: 'contract.itemRecorded',
      entity: 'contract_item',
      entityId: id,
      before: { result: row.result, dataReceivedOn: asDate(row.data_received_on) },
      after: { result: input.result ?? row.result, dataReceivedOn: received },
    });
    return { id, checkId: row.check_id, result: input.result ?? row.result, dataReceivedOn: received };
  });
}

/** A check's items with their clause (staff). */
export async function viewCheck(ctx: Ctx, checkId: number) {
  const check = await ctx.db('union_contract_checks').where({ id: checkId }).first();
  if (!check) throw new NotFound(`No check ${checkId}`);
  const today = ctx.today();
  const rows = await ctx
    .db('union_contract_check_items as i')
    .join('union_contract_clauses as c', 'c.id', 'i.clause_id')
    .where('i.check_id', checkId)
    .orderBy('c.seq')
    .select('i.*', 'c.seq', 'c.kind', 'c.text', 'c.data_required');
  return {
    id: check.id as number,
    contractId: check.contract_id as number,
    quarter: check.quarter as string,
    items: rows.map((r) => presentItem(r, today)),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function presentItem(r: any, today: string) {
  const item = { dataDueDate: asDate(r.data_due_date)!, dataReceivedOn: asDate(r.data_received_on) };
  return {
    id: r.id as number,
    clauseId: r.clause_id as number,
    seq: r.seq as number,
    kind: r.kind as string,
    text: r.text as string,
    dataRequired: r.data_required as string,
    ...item,
    dataOverdue: dataOverdue(item, today) && !r.result,
    result: r.result as CheckResult | null,
    note: r.note as string | null,
  };
}

/**
 * The exception review: items of each contract's latest check that were not met, whose data is missing,
 * or whose data is overdue and not yet judged.
 */
export async function exceptionList(ctx: Ctx) {
  const today = ctx.today();
  const rows = await ctx
    .db('union_contract_check_items as i')
    .join('union_contract_checks as k', 'k.id', 'i.check_id')
    .join('union_contract_clauses as c', 'c.id', 'i.clause_id')
    .join('union_contracts as t', 't.id', 'i.contract_id')
    .whereRaw('k.quarter = (select max(k2.quarter) from union_contract_checks k2 where k2.contract_id = k.contract_id)')
    .where((q) =>
      q
        .whereIn('i.result', ['not_met', 'data_missing'])
        .orWhere((o) => o.whereNull('i.result').whereNull('i.data_received_on').where('i.data_due_date', '<', today)),
    )
    .orderBy('t.id')
    .orderBy('c.seq')
    .select('i.*', 'c.seq', 'c.kind', 'c.text', 'c.data_required', 'k.quarter', 't.title');
  return rows.map((r) => ({ ...presentItem(r, today), quarter: r.quarter as string, contractTitle: r.title as string }));
}
