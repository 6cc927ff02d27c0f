/**
 * Applies a batch of host events in one transaction. A batch gives the same end state as applying its
 * events one at a time in the order they happened: each person's events are folded in occurrence order,
 * and after each "round" (the k-th event of every person in the batch) the people concerned are settled
 * together, exactly as a single event would settle its one person. Most batches are one round.
 */
import crypto from 'node:crypto';
import type { Ctx, Trx } from '../context';
import type { Employee, HostEvent } from '../host';
import { chunks, inTransaction, lockForUpdate } from '../lib/db';
import { sqlDateTime } from '../lib/time';
import {
  blankFact,
  factColumns,
  factFromEmployee,
  foldEvent,
  latestTrustedAt,
  type FactOutcome,
  type FactRow,
} from '../services/employment';
import { deliver, normaliseFact, settle, type Effects } from '../services/memberships';
import { installedOn } from '../services/install-info';

export type IngestOutcome = FactOutcome | 'duplicate';

/** One validated event as it was delivered: `id` is the event's id or the webhook-id standing in for it. */
export interface Delivery {
  event: HostEvent;
  id: string;
  via: 'inproc' | 'webhook';
}

interface Person {
  version: number;
  current: FactRow;
  dirty: boolean;
}

/**
 * Returns each delivery's outcome, in the order given, once the batch has committed. A delivery whose
 * id is already stored (or appears earlier in the batch) is a duplicate and changes nothing.
 */
export async function applyEvents(ctx: Ctx, deliveries: Delivery[]): Promise<IngestOutcome[]> {
  const { outcomes, afterCommit } = await writeEvents(ctx, deliveries);
  await afterCommit();
  return outcomes;
}

/**
 * The batch's transaction alone: the outcomes once it has committed, and what is left to do after the
 * commit (the areas' after-commit subscribers, such as welcome notices), for the caller to run when it
 * suits it (the webhook queue runs it beside the next batch's write).
 */
export async function writeEvents(ctx: Ctx, deliveries: Delivery[]): Promise<{ outcomes: IngestOutcome[]; afterCommit(): Promise<void> }> {
  const trustUntil = latestTrustedAt(ctx.now(), ctx.settings.webhookToleranceSec);
  const outcomes: IngestOutcome[] = new Array(deliveries.length);
  const firstOf = new Map<string, number>();
  deliveries.forEach((d, i) => (firstOf.has(d.id) ? (outcomes[i] = 'duplicate') : firstOf.set(d.id, i)));
  const primaries = [...firstOf.values()];

  // employee.updated carries no reliable delta: read the host's records before taking any locks.
  const updatedPeople = [
    ...new Set(primaries.filter((i) => deliveries[i].event.type === 'employee.updated').map((i) => personOf(deliveries[i]))),
  ];
  const hostRecords = new Map<string, Employee | null>(
    await Promise.all(updatedPeople.map(async (id) => [id, (await ctx.host.employees.get(id)) ?? null] as const)),
  );

  let effects: Effects[] = [];
  const decided = await inTransaction(ctx.db, async (trx) => {
    effects = [];
    const local = new Map<number, IngestOutcome>();
    const fresh = await claimEvents(ctx, trx, deliveries, primaries);
    for (const i of primaries) if (!fresh.has(i)) local.set(i, 'duplicate');
    if (!fresh.size) return local;

    // Each person's new events in the order they happened (arrival order between equal times).
    const queues = new Map<string, number[]>();
    for (const i of fresh) {
      const p = personOf(deliveries[i]);
      queues
        .set(p, queues.get(p) ?? [])
        .get(p)!
        .push(i);
    }
    for (const q of queues.values()) q.sort((a, b) => timeOf(deliveries[a]) - timeOf(deliveries[b]) || a - b);
    const people = [...queues.keys()].sort();
    const state = await lockPeople(trx, people);
    const installed = hostRecords.size ? await installedOn(ctx, trx) : '';

    for (let round = 0; ; round++) {
      // Settled in the order their events happened, so new members' numbers follow that order as one at a time would.
      const at = (p: string) => timeOf(deliveries[queues.get(p)![round]]);
      const inRound = people.filter((p) => queues.get(p)!.length > round).sort((a, b) => at(a) - at(b) || (a < b ? -1 : 1));
      if (!inRound.length) break;
      // settle() marks hire_applied in the rows: a later round folds into what it wrote.
      if (round > 0) await refreshHireApplied(trx, inRound, state);
      const toSettle: string[] = [];
      const causeOf = new Map<string, string>();
      for (const p of inRound) {
        const i = queues.get(p)![round];
        const st = state.get(p)!;
        const known = st.version > 0;
        const result = fold(ctx, deliveries[i].event, st.current, known, hostRecords, installed, trustUntil);
        local.set(i, result.outcome);
        if (result.outcome === 'applied') Object.assign(st, { current: result.next, version: st.version + 1, dirty: true });
        // A fact row that is still a placeholder (an update for someone we know nothing of) decides nothing.
        if (st.version > 0) {
          toSettle.push(p);
          causeOf.set(p, `event:${deliveries[i].id}`);
        }
      }
      await writeFacts(trx, inRound, state);
      if (toSettle.length) {
        const first = causeOf.get(toSettle[0])!;
        const actorOf = (p: string) => ({ id: causeOf.get(p) ?? first, kind: 'event' as const });
        // The facts just written (and locked) are what settle would read back.
        const known = new Map(toSettle.map((p) => [p, { ...state.get(p)!.current, version: state.get(p)!.version }]));
        effects.push(await settle(ctx, trx, { id: first, kind: 'event' }, 'event', toSettle, actorOf, known));
      }
    }
    const placeholders = people.filter((p) => state.get(p)!.version === 0);
    for (const ids of chunks(placeholders, 1000)) await trx('union_employees').whereIn('employee_id', ids).where({ version: 0 }).delete();
    await recordOutcomes(trx, deliveries, local);
    return local;
  });
  for (const [i, o] of decided) outcomes[i] = o;
  return {
    outcomes,
    afterCommit: async () => {
      for (const e of effects) await deliver(ctx, e);
    },
  };
}

const personOf = (d: Delivery) => d.event.data.employeeId;
const timeOf = (d: Delivery) => Date.parse(d.event.timestamp);

/**
 * Stores the batch's events with one multi-row insert, each marked with this attempt's token. Rows
 * that carry the token afterwards are this batch's; any other row with the id was there before (or
 * was written by a concurrent writer that we waited for), so that delivery is a duplicate.
 */
async function claimEvents(ctx: Ctx, trx: Trx, deliveries: Delivery[], primaries: number[]): Promise<Set<number>> {
  const token = `b:${crypto.randomBytes(9).toString('base64url')}`;
  const receivedAt = ctx.nowSql();
  // Ordered by id, so that two batches sharing ids take their key locks in the same order.
  const ordered = [...primaries].sort((a, b) => (deliveries[a].id < deliveries[b].id ? -1 : deliveries[a].id > deliveries[b].id ? 1 : 0));
  for (const part of chunks(ordered, 250)) {
    const rows = part.map((i) => {
      const { event, id, via } = deliveries[i];
      return {
        id,
        type: event.type,
        employee_id: event.data.employeeId,
        occurred_at: sqlDateTime(new Date(event.timestamp)),
        received_at: receivedAt,
        via,
        outcome: token,
        payload: JSON.stringify(event),
      };
    });
    // ON DUPLICATE KEY UPDATE id = id: a stored id is kept as it was; any other error still fails.
    await trx('union_events').insert(rows).onConflict('id').merge(['id']);
  }
  const mine = new Set<string>();
  for (const part of chunks(ordered, 1000)) {
    const rows: Array<{ id: string; outcome: string }> = await trx('union_events')
      .whereIn(
        'id',
        part.map((i) => deliveries[i].id),
      )
      .select('id', 'outcome');
    for (const r of rows) if (r.outcome === token) mine.add(r.id);
  }
  return new Set(primaries.filter((i) => mine.has(deliveries[i].id)));
}

/** Makes sure every person has a fact row (a placeholder for someone new) and locks them all, in id order. */
async function lockPeople(trx: Trx, people: string[]): Promise<Map<string, Person>> {
  const state = new Map<string, Person>();
  for (const ids of chunks(people, 500)) {
    await trx('union_employees')
      .insert(ids.map((employee_id) => ({ employee_id, ...placeholder() })))
      .onConflict('employee_id')
      .ignore();
    const rows = await lockForUpdate(trx, trx('union_employees').whereIn('employee_id', ids).orderBy('employee_id').select());
    for (const row of rows) {
      const version = Number(row.version);
      state.set(row.employee_id, {
        version,
        current: version > 0 ? { ...normaliseFact(row), fact_at: row.fact_at, dept_at: row.dept_at } : blankFact(row.employee_id),
        dirty: false,
      });
    }
  }
  return state;
}

async function refreshHireApplied(trx: Trx, people: string[], state: Map<string, Person>): Promise<void> {
  for (const ids of chunks(people, 1000)) {
    const rows = await trx('union_employees').whereIn('employee_id', ids).select('employee_id', 'hire_applied');
    for (const r of rows) state.get(r.employee_id)!.current.hire_applied = !!Number(r.hire_applied);
  }
}

function fold(
  ctx: Ctx,
  event: HostEvent,
  current: FactRow,
  known: boolean,
  hostRecords: Map<string, Employee | null>,
  installed: string,
  trustUntil: string,
): { next: FactRow; outcome: FactOutcome } {
  if (event.type !== 'employee.updated') return foldEvent(current, event, ctx.settings.timezone, ctx.settings.retirementReasons);
  const record = hostRecords.get(event.data.employeeId);
  if (!record) return { next: current, outcome: 'noop' };
  const next = factFromEmployee(record, known ? current : undefined, ctx.settings.retirementReasons, installed, trustUntil);
  return { next, outcome: 'applied' };
}

/** Writes the round's changed facts in one statement (the rows exist and are locked: this only updates). */
async function writeFacts(trx: Trx, people: string[], state: Map<string, Person>): Promise<void> {
  const rows = people
    .filter((p) => state.get(p)!.dirty)
    .map((p) => {
      const st = state.get(p)!;
      st.dirty = false;
      return { employee_id: p, ...factColumns(st.current), version: st.version };
    });
  if (!rows.length) return;
  const columns = Object.keys(rows[0]).filter((c) => c !== 'employee_id');
  for (const part of chunks(rows, 250)) await trx('union_employees').insert(part).onConflict('employee_id').merge(columns);
}

/** One UPDATE replaces this attempt's token with what happened to each event. */
async function recordOutcomes(trx: Trx, deliveries: Delivery[], local: Map<number, IngestOutcome>): Promise<void> {
  const decided = [...local].filter(([, o]) => o !== 'duplicate').map(([i, o]) => [deliveries[i].id, o] as const);
  for (const part of chunks(decided, 500)) {
    const cases = trx.raw(`CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END`, part.flat());
    await trx('union_events')
      .whereIn(
        'id',
        part.map(([id]) => id),
      )
      .update({ outcome: cases });
  }
}

function placeholder() {
  return {
    department_id: '',
    status: 'unknown',
    hire_applied: false,
    retired: false,
    fact_at: '1970-01-01 00:00:00.000',
    dept_at: '1970-01-01 00:00:00.000',
    version: 0,
  };
}
