/**
 * Contracts and their clauses: the one writer (`createContract`: contract, clauses and one audit row in
 * one transaction) and the readers, including what employees read: each clause in force with the
 * standing of its latest check.
 */
import type { Actor, Ctx } from '../../context';
import { Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { asDate } from '../../lib/time';
import { writeAudit } from '../audit';
import { reviewEndsOn, standing, type CheckResult, type ClauseKind, type ContractKind } from './rules';

export interface ClauseInput {
  kind: ClauseKind;
  text: string;
  target?: string;
  dataRequired: string;
  dataDueDays: number;
}

export interface ContractInput {
  kind: ContractKind;
  title: string;
  startsOn: string;
  endsOn: string;
  signedOn: string;
  filedOn?: string;
  reviewDays?: number;
  clauses: ClauseInput[];
}

export interface ContractRow {
  id: number;
  kind: ContractKind;
  title: string;
  starts_on: unknown;
  ends_on: unknown;
  signed_on: unknown;
  filed_on: unknown;
  review_days: number;
  review_ends_on: unknown;
  renewal_noticed_at: string | null;
}

export interface ClauseRow {
  id: number;
  contract_id: number;
  seq: number;
  kind: ClauseKind;
  text: string;
  target: string | null;
  data_required: string;
  data_due_days: number;
}

/** Rules ajv cannot say: the term runs forwards, and a contract is filed after it is signed. */
function checkDates(input: ContractInput): void {
  if (input.endsOn <= input.startsOn) throw Invalid.field('body.endsOn', 'must be after startsOn');
  if (input.filedOn && input.filedOn < input.signedOn) throw Invalid.field('body.filedOn', 'must not be before signedOn');
}

export async function createContract(ctx: Ctx, actor: Actor, input: ContractInput): Promise<{ id: number }> {
  checkDates(input);
  const reviewDays = input.reviewDays ?? 15;
  return inTransaction(ctx.db, async (trx) => {
    const [id] = await trx('union_contracts').insert({
      kind: input.kind,
      title: input.title.trim(),
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      signed_on: input.signedOn,
      filed_on: input.filedOn ?? null,
      review_days: reviewDays,
      review_ends_on: reviewEndsOn(input.filedOn ?? null, reviewDays),
      created_by: actor.id,
      created_at: ctx.nowSql(),
    });
    await trx('union_contract_clauses').insert(
      input.clauses.map((c, i) => ({
        contract_id: id,
        seq: i + 1,
        kind: c.kind,
        text: c.text.trim(),
        target: c.target?.trim() || null,
        data_required: c.dataRequired.trim(),
        data_due_days: c.dataDueDays,
      })),
    );
    await writeAudit(ctx, trx, actor, {
      action: 'contract.create',
      entity: 'contract',
      entityId: id,
      after: { kind: input.kind, startsOn: input.startsOn, endsOn: input.endsOn, clauses: input.clauses.length },
    });
    return { id };
  });
}

/**
 * Records the day the contract was filed with the labour bureau (often weeks after signing), and with it
 * the end of the bureau's review period.
 */
export async function recordFiling(ctx: Ctx, actor: Actor, id: number, input: { filedOn: string; reviewDays?: number }) {
  if (input.filedOn > ctx.today()) throw Invalid.field('body.filedOn', 'must not be in the future');
  return inTransaction(ctx.db, async (trx) => {
    const row = (await lockForUpdate(trx, trx('union_contracts').where({ id }).first())) as ContractRow | undefined;
    if (!row) throw new NotFound(`No contract ${id}`);
    if (input.filedOn < asDate(row.signed_on)!) throw Invalid.field('body.filedOn', 'must not be before signedOn');
    const reviewDays = input.reviewDays ?? row.review_days;
    const changes = { filed_on: input.filedOn, review_days: reviewDays, review_ends_on: reviewEndsOn(input.filedOn, reviewDays) };
    await trx('union_contracts').where({ id }).update(changes);
    await writeAudit(ctx, trx, actor, {
      action: 'contract.filed',
      entity: 'contract',
      entityId: id,
      before: { filedOn: asDate(row.filed_on), reviewDays: row.review_days },
      after: { filedOn: input.filedOn, reviewDays },
    });
    return presentContract({ ...row, ...changes });
  });
}

export function presentContract(r: ContractRow) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    startsOn: asDate(r.starts_on)!,
    endsOn: asDate(r.ends_on)!,
    signedOn: asDate(r.signed_on)!,
    filedOn: asDate(r.filed_on),
    reviewDays: r.review_days,
    reviewEndsOn: asDate(r.review_ends_on),
    renewalNoticed: Boolean(r.renewal_noticed_at),
  };
}

export function presentClause(c: ClauseRow) {
  return {
    id: c.id,
    seq: c.seq,
    kind: c.kind,
    text: c.text,
    target: c.target,
    dataRequired: c.data_required,
    dataDueDays: c.data_due_days,
  };
}

/** Every contract, newest term first (staff). */
export async function listContracts(ctx: Ctx) {
  const rows: ContractRow[] = await ctx.db('union_contracts').orderBy('starts_on', 'desc').orderBy('id', 'desc').limit(200);
  return rows.map(presentContract);
}

export async function contractRow(ctx: Ctx, id: number): Promise<ContractRow> {
  const row = (await ctx.db('union_contracts').where({ id }).first()) as ContractRow | undefined;
  if (!row) throw new NotFound(`No contract ${id}`);
  return row;
}

/** A contract with its clauses and every check's items (staff). */
export async function viewContract(ctx: Ctx, id: number) {
  const row = await contractRow(ctx, id);
  const clauses: ClauseRow[] = await ctx.db('union_contract_clauses').where({ contract_id: id }).orderBy('seq');
  const checks = await ctx
    .db('union_contract_checks')
    .where({ contract_id: id })
    .orderBy('quarter', 'desc')
    .select('id', 'quarter', 'opened_on');
  return {
    ...presentContract(row),
    clauses: clauses.map(presentClause),
    checks: checks.map((c: { id: number; quarter: string; opened_on: unknown }) => ({
      id: c.id,
      quarter: c.quarter,
      openedOn: asDate(c.opened_on),
    })),
  };
}

/**
 * What employees read: the contracts in force today, each clause with the standing of its latest
 * check (the contract's most recent quarter). No notes, files or data figures: those stay with staff.
 */
export async function clausesInForce(ctx: Ctx) {
  const today = ctx.today();
  const rows: ContractRow[] = await ctx
    .db('union_contracts')
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .orderBy('kind')
    .orderBy('id');
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const clauses: ClauseRow[] = await ctx.db('union_contract_clauses').whereIn('contract_id', ids).orderBy('contract_id').orderBy('seq');
  const latest: Array<{ contract_id: number; quarter: string; id: number }> = await ctx
    .db('union_contract_checks as k')
    .whereIn('k.contract_id', ids)
    .whereRaw('k.quarter = (select max(k2.quarter) from union_contract_checks k2 where k2.contract_id = k.contract_id)')
    .select('k.contract_id', 'k.quarter', 'k.id');
  const items: Array<{ clause_id: number; result: CheckResult | null }> = latest.length
    ? await ctx
        .db('union_contract_check_items')
        .whereIn(
          'check_id',
          latest.map((l) => l.id),
        )
        .select('clause_id', 'result')
    : [];
  const itemOf = new Map(items.map((i) => [i.clause_id, i]));
  const quarterOf = new Map(latest.map((l) => [l.contract_id, l.quarter]));
  return rows.map((r) => ({
    ...presentContract(r),
    quarter: quarterOf.get(r.id) ?? null,
    clauses: clauses
      .filter((c) => c.contract_id === r.id)
      .map((c) => ({ ...presentClause(c), standing: standing(itemOf.get(c.id) ?? null) })),
  }));
}
