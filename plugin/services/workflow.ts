/**
 * A small workflow helper for records that move through states (grievances now; assistance cases and
 * congress motions later). An area declares a transition table; `transition` is the one writer that
 * moves a record: it locks the row, checks the move against the table, updates the row, and writes a
 * history row and an audit row in the caller's transaction.
 *
 * Deadlines count working days (lib/workdays.ts) and live in fixed columns of the record's table:
 * `due_at` (UTC instant), `due_date` (the working day it ends), `due_estimated` (counted through a year
 * without official data), `clock_paused_at`, `clock_remaining_days`. A pause keeps the working days
 * still left after the pause day; the resume plans only that remainder from the day of resuming
 * (OCA helpdesk's SLA pattern), so time already consumed is never given back or charged twice.
 */
import type { Actor, Ctx, Trx } from '../context';
import { Conflict, Forbidden, Invalid, NotFound, type ErrorDetail } from '../errors';
import { endOfDay, loadCalendar, type WorkCalendar } from '../lib/workdays';
import { asDate, sqlDateTime } from '../lib/time';
import { lockForUpdate } from '../lib/db';
import { writeAudit } from './audit';

/** The row columns the helper reads and writes; an area's row type extends it. */
export interface WorkflowRow {
  id: number;
  status: string;
  due_at?: string | null;
  due_date?: unknown;
  due_estimated?: boolean | number | null;
  clock_paused_at?: string | null;
  clock_remaining_days?: number | null;
}

/** Who is moving the record: the actor, and the permissions they hold (for relations such as "chair"). */
export interface Mover extends Actor {
  grants?: ReadonlySet<string>;
}

/** The time and calendar a move is computed with. */
export interface MoveClock {
  now: Date;
  today: string;
  cal: WorkCalendar;
}

export type DeadlineRule<R, I> =
  /**
   * Plan a new deadline: `days` working days after `base` (0: end of the first working day on or after it);
   * null clears it; 'keep' leaves it as it is (when the input decides whether there is a new one).
   */
  | { kind: 'set'; plan(row: R, input: I, clock: MoveClock): { base: string; days: number } | null | 'keep' }
  | { kind: 'pause' }
  | { kind: 'resume' };

export interface Transition<R extends WorkflowRow, I> {
  action: string;
  from: readonly string[];
  /** The state after the move; a function when the input decides (a follow-up closes or reopens). */
  to: string | ((row: R, input: I) => string);
  /** Relations (computed by the spec) of which the mover must hold at least one. */
  who: readonly string[];
  /** What the input must carry: a field error, or null. */
  requires?(input: I, row: R): ErrorDetail | null;
  deadline?: DeadlineRule<R, I>;
  /** Further columns the move writes. */
  write?(row: R, input: I, clock: MoveClock): Record<string, unknown>;
  /** The note in the history row. */
  note?(input: I): string | null | undefined;
}

export interface WorkflowSpec<R extends WorkflowRow> {
  /** Audit entity and action prefix, e.g. 'grievance'. */
  entity: string;
  table: string;
  historyTable: string;
  /** The history table's column naming the record, e.g. 'grievance_id'. */
  historyKey: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  transitions: readonly Transition<R, any>[];
  /** The mover's relations to the record, e.g. filer, assignee, chair. */
  relations(row: R, mover: Mover): ReadonlySet<string>;
  /** Confidential records: someone with no relation at all gets 404, as if the record did not exist. */
  hideFromUnrelated?: boolean;
  /** Runs in the move's transaction after the row is written (e.g. keeping running totals in step). */
  afterMove?(trx: Trx, before: R, after: R): Promise<void>;
}

export interface Moved<R> {
  before: R;
  after: R;
  from: string;
  to: string;
  clock: MoveClock;
}

/** The transition named `action`; a programming error if the table lacks it. */
export function transitionOf<R extends WorkflowRow>(spec: WorkflowSpec<R>, action: string): Transition<R, unknown> {
  const t = spec.transitions.find((x) => x.action === action);
  if (!t) throw new Error(`workflow ${spec.entity} has no action ${action}`);
  return t;
}

/** Which actions the mover may take on the row now (for pages that show only the buttons that work). */
export function allowedActions<R extends WorkflowRow>(spec: WorkflowSpec<R>, row: R, mover: Mover): string[] {
  const rel = spec.relations(row, mover);
  return spec.transitions.filter((t) => t.from.includes(row.status) && t.who.some((w) => rel.has(w))).map((t) => t.action);
}

/** The deadline columns after a rule is applied; pure, so the table tests can pin every case. */
export function deadlineColumns<R extends WorkflowRow, I>(
  rule: DeadlineRule<R, I> | undefined,
  row: R,
  input: I,
  clock: MoveClock,
  timezone: string,
): Record<string, unknown> {
  if (!rule) return {};
  const at = (date: string) => ({
    due_date: date,
    due_at: sqlDateTime(endOfDay(date, timezone)),
    due_estimated: clock.cal.estimated,
    clock_paused_at: null,
    clock_remaining_days: null,
  });
  if (rule.kind === 'set') {
    const plan = rule.plan(row, input, clock);
    if (plan === 'keep') return {};
    if (!plan) return { due_date: null, due_at: null, due_estimated: false, clock_paused_at: null, clock_remaining_days: null };
    return at(clock.cal.addWorkingDays(plan.base, plan.days));
  }
  const due = asDate(row.due_date);
  if (rule.kind === 'pause') {
    if (!due || row.clock_paused_at) return {};
    // The pause day itself counts as consumed; what is left is the working days after it.
    return { clock_paused_at: sqlDateTime(clock.now), clock_remaining_days: clock.cal.workingDaysBetween(clock.today, due) };
  }
  if (!row.clock_paused_at) return {};
  const left = row.clock_remaining_days ?? 0;
  // Already overdue when paused: the old deadline stands (a pause never forgives lateness).
  if (left < 0) return { clock_paused_at: null, clock_remaining_days: null };
  return at(clock.cal.addWorkingDays(clock.today, left));
}

/**
 * Moves the record `id` by `action`, inside the caller's transaction: locks the row, checks that the
 * move is legal from its current state (else 409 naming the state) and that the mover may make it
 * (else 404 for a confidential record they have no relation to, 403 otherwise), checks the input,
 * updates the row, and writes one history row and one audit row.
 */
export async function transition<R extends WorkflowRow, I>(
  ctx: Ctx,
  trx: Trx,
  spec: WorkflowSpec<R>,
  id: number,
  action: string,
  mover: Mover,
  input: I,
): Promise<Moved<R>> {
  const t = transitionOf(spec, action) as Transition<R, I>;
  const row = (await lockForUpdate(trx, trx(spec.table).where({ id }).first())) as R | undefined;
  if (!row) throw new NotFound(`No ${spec.entity} ${id}`);
  const rel = spec.relations(row, mover);
  if (spec.hideFromUnrelated && rel.size === 0) throw new NotFound(`No ${spec.entity} ${id}`);
  if (!t.from.includes(row.status)) {
    throw new Conflict(`The ${spec.entity} is ${row.status}; ${action} needs ${t.from.join(' or ')}`, [
      { path: 'status', message: row.status },
    ]);
  }
  if (!t.who.some((w) => rel.has(w))) throw new Forbidden(`Only ${t.who.join(' or ')} may ${action} this ${spec.entity}`);
  const bad = t.requires?.(input, row);
  if (bad) throw new Invalid(`${bad.path}: ${bad.message}`, [bad]);

  const now = ctx.now();
  const clock: MoveClock = { now, today: ctx.today(), cal: await loadCalendar(trx) };
  const to = typeof t.to === 'function' ? t.to(row, input) : t.to;
  const changes = {
    ...deadlineColumns(t.deadline, row, input, clock, ctx.settings.timezone),
    ...t.write?.(row, input, clock),
    status: to,
  };
  await trx(spec.table).where({ id }).update(changes);
  const after = { ...row, ...changes } as R;
  await spec.afterMove?.(trx, row, after);
  await trx(spec.historyTable).insert({
    [spec.historyKey]: id,
    at: sqlDateTime(now),
    actor: mover.id,
    action,
    from_status: row.status,
    to_status: to,
    note: t.note?.(input) ?? null,
  });
  const brief = (r: R) => ({ status: r.status, dueAt: r.due_at ?? null, paused: Boolean(r.clock_paused_at) });
  await writeAudit(ctx, trx, mover, {
    action: `${spec.entity}.${action}`,
    entity: spec.entity,
    entityId: id,
    before: brief(row),
    after: brief(after),
  });
  return { before: row, after, from: row.status, to, clock };
}
