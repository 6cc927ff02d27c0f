import type { Knex } from 'knex';
import type { Actor, Ctx } from '../../context';
import type { Employee } from '../../host';
import { inTransaction, isUniqueViolation } from '../../lib/db';
import { Conflict, Invalid } from '../../errors';
import { writeAudit } from '../audit';
import { normaliseEmployeeNo } from '../../sync/ledger-values';
import { periodBounds } from './entitlement';

/** The occasions a per-occurrence plan pays for (婚、育、住院、丧、退休), as staff record them. */
export const OCCASIONS = ['marriage', 'childbirth', 'hospitalisation', 'bereavement', 'retirement'] as const;
/**
 * A hardship grant's occasion: only an assistance case records it, when its grant is paid, so the gap
 * report counts the grant as owed to that person (not as paid without entitlement).
 */
export const HARDSHIP_OCCASION = 'hardship';
export type Occasion = (typeof OCCASIONS)[number] | typeof HARDSHIP_OCCASION;

export interface OccurrenceInput {
  employeeId: string;
  kind: Occasion;
  occurredOn: string;
}

const isOccasion = (k: unknown): k is Occasion => (OCCASIONS as readonly unknown[]).includes(k);
const isDate = (d: unknown): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d);

/**
 * What HR data says happened to a person, where the host has it: a retirement is an exit with status
 * retired on the exit date; a host that keeps life events (marriage, childbirth ...) on the employee
 * record as `lifeEvents` gives those too. Anything malformed is left out, never guessed.
 */
export function hrOccurrences(e: Employee): Array<{ kind: Occasion; occurredOn: string }> {
  const out: Array<{ kind: Occasion; occurredOn: string }> = [];
  if (e.status === 'retired' && isDate(e.exitDate)) out.push({ kind: 'retirement', occurredOn: e.exitDate });
  for (const ev of e.lifeEvents ?? []) if (isOccasion(ev?.kind) && isDate(ev?.date)) out.push({ kind: ev.kind, occurredOn: ev.date });
  return out;
}

/**
 * Stores what HR data says happened, for a page of employees, inside the caller's transaction or not.
 * Idempotent: an occurrence already there (from HR or from staff) is left as it is.
 */
export async function syncHrOccurrences(ctx: Ctx, employees: Employee[], db: Knex = ctx.db): Promise<number> {
  const at = ctx.nowSql();
  const rows = employees.flatMap((e) =>
    hrOccurrences(e).map((o) => ({
      employee_id: e.id,
      kind: o.kind,
      occurred_on: o.occurredOn,
      source: 'hr',
      recorded_by: 'hr',
      recorded_at: at,
    })),
  );
  if (rows.length) await db('union_welfare_occurrences').insert(rows).onConflict(['employee_id', 'kind', 'occurred_on']).ignore();
  return rows.length;
}

/** Staff record an occurrence (the person told the union, or brought the certificate): one row, one audit row. */
export async function recordOccurrence(ctx: Ctx, actor: Actor, input: OccurrenceInput): Promise<{ id: number }> {
  if (input.occurredOn > ctx.today()) throw Invalid.field('body.occurredOn', 'must not be in the future');
  const employeeId = await whoIs(ctx, input.employeeId);
  if (!employeeId) throw Invalid.field('body.employeeId', 'names nobody the host knows');
  try {
    return await inTransaction(ctx.db, async (trx) => {
      const row = {
        employee_id: employeeId,
        kind: input.kind,
        occurred_on: input.occurredOn,
        source: 'staff',
        recorded_by: actor.id,
        recorded_at: ctx.nowSql(),
      };
      const [id] = await trx('union_welfare_occurrences').insert(row);
      await writeAudit(ctx, trx, actor, { action: 'welfare.occurrence.recorded', entity: 'welfare_occurrence', entityId: id, after: row });
      return { id: Number(id) };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new Conflict('This occurrence is already recorded', [{ path: 'body.occurredOn', message: 'already recorded' }]);
    throw err;
  }
}

/**
 * The person staff mean: the host's id, or (what staff actually know) their employee number, found through
 * the host's optional search and accepted only when exactly one person carries that number.
 */
async function whoIs(ctx: Ctx, text: string): Promise<string | null> {
  if (await ctx.host.employees.get(text)) return text;
  const hits = (await ctx.host.employees.search?.(text, 5)) ?? [];
  const people = hits.length ? await ctx.host.employees.getMany(hits) : [];
  const same = people.filter((p) => normaliseEmployeeNo(p.employeeNo) === normaliseEmployeeNo(text));
  return same.length === 1 ? same[0].id : null;
}

/**
 * The ids of the people a per-occurrence plan owes in a period: an occurrence of its occasion dated in the
 * period and within the plan's dates, by someone who was a member during the period. One subquery.
 */
export function occurredDuring(
  db: Knex,
  plan: { occasion: string | null; starts_on: string; ends_on: string | null },
  period: string,
): Knex.QueryBuilder {
  const { start, end } = periodBounds(period);
  const from = plan.starts_on > start ? plan.starts_on : start;
  const to = plan.ends_on && plan.ends_on < end ? plan.ends_on : end;
  return db('union_welfare_occurrences as o')
    .where('o.kind', plan.occasion ?? '')
    .whereBetween('o.occurred_on', [from, to])
    .distinct('o.employee_id');
}
