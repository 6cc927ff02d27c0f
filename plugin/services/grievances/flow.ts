/**
 * The grievance's transition table (已接收 received → 处理中 in_progress ⇄ 待补充材料 waiting_on_employee
 * → 已解决 resolved → closed after the follow-up; 不满意 reopens). Closed has no way out: a closed case is
 * locked, and later words go into a new case.
 */
import type { Mover, Transition, WorkflowRow, WorkflowSpec } from '../workflow';
import { asDate, sqlDateTime } from '../../lib/time';
import { GrievancePermissions } from '../../routes/grievances/permissions';
import { applyTally } from './tallies';
import { departmentInScope, type Scope } from '../scope';

export interface GrievanceRow extends WorkflowRow {
  filer_id: string | null;
  anonymous: number | boolean;
  department_id: string | null;
  category: string;
  content: string;
  concerns: string | null;
  channel: string;
  recorded_by: string | null;
  path: string | null;
  next_round: string | null;
  assignee_id: string;
  assigned_at: string;
  received_at: string;
  received_on: unknown;
  escalation_level: number;
  resolved_at: string | null;
  handling_days: number | null;
  on_time: number | boolean | null;
  outcome: string | null;
  evaluation: string | null;
  evaluation_comment: string | null;
  knows_outcome: number | boolean | null;
  accepts_outcome: number | boolean | null;
  new_problem: number | boolean | null;
  reopened_count: number;
  closed_at: string | null;
}

export const PATHS = ['immediate', 'coordinated', 'collective', 'policy'] as const;
export type HandlingPath = (typeof PATHS)[number];
export const CHANNELS = ['online', 'hotline_12351', 'suggestion_box', 'visit', 'service_station'] as const;
export const OUTCOMES = ['resolved', 'partially', 'not_now'] as const;
export const EVALUATIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;

/** Working days each path allows (coordinated: the category's 3–5); collective has none, it waits for the round. */
export function pathDays(path: HandlingPath, coordinatedDays: number): number | null {
  return { immediate: 0, coordinated: coordinatedDays, policy: 2, collective: null }[path];
}

export interface RouteInput {
  path: HandlingPath;
  /** Resolved by the service: the category's coordinated days, or the 3–5 the router chose. */
  days: number | null;
  nextRound?: string;
}
export interface NoteInput {
  note: string;
}
export interface ResolveInput {
  outcome: (typeof OUTCOMES)[number];
  note: string;
}
export interface FollowUpInput {
  evaluation: (typeof EVALUATIONS)[number];
  comment?: string;
  knowsOutcome?: boolean;
  acceptsOutcome?: boolean;
  newProblem?: boolean;
  /** Resolved by the service: on a second 不满意 the case goes to the chair. */
  escalateTo?: string | null;
  /** Resolved by the service: working days of the case's path, for the reopened deadline. */
  days: number | null;
}
export interface ExitReassignInput {
  to: string;
}
export interface ReassignInput {
  to: string;
  reason: string;
}

const ON_CASE = ['assignee', 'chair'];
const required = (v: unknown, path: string) => (typeof v === 'string' && v.trim() ? null : { path, message: 'is required' });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTransition = Transition<GrievanceRow, any>;

const transitions: AnyTransition[] = [
  {
    action: 'route',
    from: ['received', 'in_progress'],
    to: 'in_progress',
    who: ON_CASE,
    requires: (i: RouteInput) => (i.path === 'collective' ? required(i.nextRound, 'body.nextRound') : null),
    // Counted from the day of receipt, so routing late never buys time.
    deadline: {
      kind: 'set',
      plan: (row, i: RouteInput) => (i.days === null ? null : { base: asDate(row.received_on)!, days: i.days }),
    },
    write: (_row, i: RouteInput) => ({
      path: i.path,
      next_round: i.path === 'collective' ? i.nextRound!.trim() : null,
      escalation_level: 0,
    }),
    note: (i: RouteInput) => (i.path === 'collective' ? `${i.path}: ${i.nextRound}` : i.path),
  } as AnyTransition,
  {
    action: 'update',
    from: ['received', 'in_progress'],
    to: 'in_progress',
    who: ON_CASE,
    requires: (i: NoteInput) => required(i.note, 'body.note'),
    note: (i: NoteInput) => i.note,
  } as AnyTransition,
  {
    action: 'request_info',
    from: ['in_progress'],
    to: 'waiting_on_employee',
    who: ON_CASE,
    requires: (i: NoteInput) => required(i.note, 'body.note'),
    deadline: { kind: 'pause' },
    note: (i: NoteInput) => i.note,
  } as AnyTransition,
  {
    action: 'supply',
    from: ['waiting_on_employee'],
    to: 'in_progress',
    // The assignee records what an offline filer brought in person.
    who: ['filer', 'assignee'],
    requires: (i: NoteInput) => required(i.note, 'body.note'),
    deadline: { kind: 'resume' },
    note: (i: NoteInput) => i.note,
  } as AnyTransition,
  {
    action: 'resolve',
    from: ['in_progress'],
    to: 'resolved',
    who: ON_CASE,
    requires: (i: ResolveInput) => required(i.note, 'body.note'),
    write: (row, i: ResolveInput, clock) => ({
      outcome: i.outcome,
      resolved_at: sqlDateTime(clock.now),
      handling_days: Math.max(0, clock.cal.workingDaysBetween(asDate(row.received_on)!, clock.today)),
      on_time: row.due_at ? sqlDateTime(clock.now) <= row.due_at : null,
    }),
    note: (i: ResolveInput) => i.note,
  } as AnyTransition,
  {
    action: 'follow_up',
    from: ['resolved'],
    to: (_row, i: FollowUpInput) => (i.evaluation === 'dissatisfied' ? 'in_progress' : 'closed'),
    who: ['filer', 'assignee', 'chair'],
    // 不满意 reopens with a fresh deadline of the case's path from today; otherwise the case closes.
    deadline: {
      kind: 'set',
      plan: (_row, i: FollowUpInput, clock) =>
        i.evaluation !== 'dissatisfied' ? 'keep' : i.days === null ? null : { base: clock.today, days: i.days },
    },
    write: (row, i: FollowUpInput, clock) => {
      const base = {
        evaluation: i.evaluation,
        evaluation_comment: i.comment?.trim() || null,
        knows_outcome: i.knowsOutcome ?? null,
        accepts_outcome: i.acceptsOutcome ?? null,
        new_problem: i.newProblem ?? null,
      };
      if (i.evaluation !== 'dissatisfied') return { ...base, closed_at: sqlDateTime(clock.now) };
      return {
        ...base,
        reopened_count: row.reopened_count + 1,
        escalation_level: 0,
        ...(i.escalateTo ? { assignee_id: i.escalateTo, assigned_at: sqlDateTime(clock.now) } : {}),
      };
    },
    note: (i: FollowUpInput) => [i.evaluation, i.comment?.trim()].filter(Boolean).join(': '),
  } as AnyTransition,
  {
    action: 'reassign',
    from: ['received', 'in_progress', 'waiting_on_employee'],
    to: (row) => row.status,
    who: ON_CASE,
    requires: (i: ReassignInput, row) =>
      required(i.reason, 'body.reason') ?? (i.to === row.assignee_id ? { path: 'body.to', message: 'is already the assignee' } : null),
    write: (_row, i: ReassignInput, clock) => ({ assignee_id: i.to, assigned_at: sqlDateTime(clock.now) }),
    note: (i: ReassignInput) => `${i.to}: ${i.reason}`,
  } as AnyTransition,
  {
    // The host said the assignee left: the case goes to a successor the routing rules choose (exits.ts).
    action: 'reassign_exit',
    from: ['received', 'in_progress', 'waiting_on_employee', 'resolved'],
    to: (row) => row.status,
    who: ['system'],
    write: (_row, i: ExitReassignInput, clock) => ({ assignee_id: i.to, assigned_at: sqlDateTime(clock.now) }),
    note: () => null,
  } as AnyTransition,
];

/** A person moving or reading a case: with the part of the union they serve (a branch's chair oversees the branch only). */
export type CaseMover = Mover & { scope?: Scope };

/**
 * The mover's relations to a case: the filer, the assignee, the chair (who oversees every case of the
 * departments in their scope; a case with no department belongs to the whole union's chair only).
 */
export function relationsTo(row: Pick<GrievanceRow, 'filer_id' | 'assignee_id' | 'department_id'>, mover: CaseMover): Set<string> {
  const rel = new Set<string>();
  if (row.filer_id && row.filer_id === mover.id) rel.add('filer');
  if (row.assignee_id === mover.id) rel.add('assignee');
  if (mover.grants?.has(GrievancePermissions.grievancesOversee) && (!mover.scope || departmentInScope(mover.scope, row.department_id)))
    rel.add('chair');
  // Host events and jobs act on cases only through the moves that name `system`.
  if (mover.kind === 'event' || mover.kind === 'job') rel.add('system');
  return rel;
}

export const grievanceFlow: WorkflowSpec<GrievanceRow> = {
  entity: 'grievance',
  table: 'union_grievances',
  historyTable: 'union_grievance_history',
  historyKey: 'grievance_id',
  hideFromUnrelated: true,
  relations: relationsTo,
  transitions,
  afterMove: (trx, before, after) => applyTally(trx, before, after),
};
