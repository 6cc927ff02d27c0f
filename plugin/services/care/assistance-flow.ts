/**
 * The assistance case's transition table (专项帮扶): submitted → 受理 accepted → 核实 verified → 会商
 * (granted: noticed for 公示; refused: rejected) → approved once the notice ran without an open objection
 * (an upheld objection sends it back to 会商) → 发放 paid → 回访 followed_up. The applicant may withdraw
 * until the decision. The yearly review moves no state: it keeps, changes or ends the place on the list.
 */
import type { Mover, Transition, WorkflowRow, WorkflowSpec } from '../workflow';
import { sqlDateTime } from '../../lib/time';
import { AssistancePermissions } from '../../routes/care/assistance-permissions';
import { nextReviewOn, reviewEffect, type Grade, type ReviewOutcome } from './assistance-rules';

export interface CaseRow extends WorkflowRow {
  employee_id: string;
  department_id: string | null;
  category: string;
  description: string;
  urgent: boolean | number;
  recorded_by: string | null;
  handler_id: string;
  submitted_at: string;
  submitted_on: unknown;
  verified_employed: boolean | number | null;
  verified_department_id: string | null;
  verified_income_band: string | null;
  home_visit_on: unknown;
  decision: string | null;
  kind: string | null;
  amount_cents: number | null;
  grade: Grade | null;
  notice_starts_on: unknown;
  notice_ends_on: unknown;
  approved_on: unknown;
  welfare_plan_id: number | null;
  welfare_batch: string | null;
  paid_on: unknown;
  followed_up_on: unknown;
  on_list: boolean | number;
  review_due_on: unknown;
  review_reminded_for: unknown;
  left_list_on: unknown;
  closed_at: string | null;
}

/** Every input carries the working days of the deadline it sets, resolved by the service from the settings. */
interface Timed {
  days: number;
  note?: string;
}
export type NoteInput = Timed;
export interface VerifyInput extends Timed {
  /** What HR says today, read by the service. */
  employed: boolean;
  departmentId: string | null;
  incomeBand: string | null;
  homeVisitOn?: string;
}
export interface DecideInput extends Timed {
  decision: 'grant' | 'reject';
  kind?: string;
  amountCents?: number;
  grade?: Grade;
}
export interface PayInput extends Timed {
  planId: number;
  batch: string;
}
export interface ReviewInput {
  outcome: ReviewOutcome;
  grade?: Grade;
  note: string;
}

const ON_CASE = ['handler', 'chair'];
const required = (v: unknown, path: string) => (typeof v === 'string' && v.trim() ? null : { path, message: 'is required' });
const fromToday = (_row: CaseRow, i: Timed, clock: { today: string }) => ({ base: clock.today, days: i.days });
const noteOf = (i: { note?: string }) => i.note?.trim() || null;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTransition = Transition<CaseRow, any>;

const transitions: AnyTransition[] = [
  { action: 'accept', from: ['submitted'], to: 'accepted', who: ON_CASE, deadline: { kind: 'set', plan: fromToday }, note: noteOf },
  {
    action: 'verify',
    from: ['accepted'],
    to: 'verified',
    who: ON_CASE,
    requires: (i: VerifyInput) => required(i.note, 'body.note'),
    deadline: { kind: 'set', plan: fromToday },
    write: (_row, i: VerifyInput) => ({
      verified_employed: i.employed,
      verified_department_id: i.departmentId,
      verified_income_band: i.incomeBand,
      home_visit_on: i.homeVisitOn ?? null,
    }),
    note: noteOf,
  } as AnyTransition,
  {
    action: 'decide',
    from: ['verified'],
    to: (_row, i: DecideInput) => (i.decision === 'grant' ? 'noticed' : 'rejected'),
    // 会商: the committee meets and the chair records what it decided.
    who: ['chair'],
    requires: (i: DecideInput) => {
      if (i.decision === 'reject') return required(i.note, 'body.note');
      if (!i.kind) return { path: 'body.kind', message: 'is required for a grant' };
      if (!i.grade) return { path: 'body.grade', message: 'is required for a grant' };
      if (i.kind === 'cash' && !i.amountCents) return { path: 'body.amount', message: 'is required for a cash grant' };
      return null;
    },
    // A grant goes on public notice for the notice days: the deadline is the notice's last day.
    deadline: { kind: 'set', plan: (row, i: DecideInput, clock) => (i.decision === 'grant' ? fromToday(row, i, clock) : null) },
    write: (_row, i: DecideInput, clock) =>
      i.decision === 'grant'
        ? {
            decision: 'grant',
            kind: i.kind,
            amount_cents: i.amountCents ?? null,
            grade: i.grade,
            notice_starts_on: clock.today,
            notice_ends_on: clock.cal.addWorkingDays(clock.today, i.days),
          }
        : { decision: 'reject', closed_at: sqlDateTime(clock.now) },
    note: noteOf,
  } as AnyTransition,
  {
    // The notice ran its days and every objection is answered (the service checks both under the row's lock).
    action: 'confirm',
    from: ['noticed'],
    to: 'approved',
    who: ON_CASE,
    deadline: { kind: 'set', plan: fromToday },
    write: (_row, _i, clock) => ({ approved_on: clock.today, on_list: true, review_due_on: nextReviewOn(clock.today) }),
    note: noteOf,
  },
  {
    // An upheld objection: the committee decides again; the notice is over.
    action: 'reconfer',
    from: ['noticed'],
    to: 'verified',
    who: ON_CASE,
    requires: (i: NoteInput) => required(i.note, 'body.resolution'),
    deadline: { kind: 'set', plan: fromToday },
    write: () => ({ decision: null, notice_starts_on: null, notice_ends_on: null }),
    note: noteOf,
  } as AnyTransition,
  {
    action: 'pay',
    from: ['approved'],
    to: 'paid',
    who: ON_CASE,
    deadline: { kind: 'set', plan: fromToday },
    write: (_row, i: PayInput, clock) => ({ paid_on: clock.today, welfare_plan_id: i.planId, welfare_batch: i.batch }),
    note: noteOf,
  } as AnyTransition,
  {
    action: 'follow_up',
    from: ['paid'],
    to: 'followed_up',
    who: ON_CASE,
    requires: (i: NoteInput) => required(i.note, 'body.note'),
    deadline: { kind: 'set', plan: () => null },
    write: (_row, _i, clock) => ({ followed_up_on: clock.today }),
    note: noteOf,
  } as AnyTransition,
  {
    action: 'review',
    from: ['approved', 'paid', 'followed_up'],
    to: (row) => row.status,
    who: ON_CASE,
    requires: (i: ReviewInput, row) => {
      if (!row.on_list) return { path: 'status', message: 'the case is no longer on the hardship list' };
      const effect = reviewEffect(row.grade, i);
      return 'error' in effect ? effect.error : required(i.note, 'body.note');
    },
    write: (row, i: ReviewInput, clock) => {
      const effect = reviewEffect(row.grade, i) as { grade: Grade | null; onList: boolean };
      return {
        grade: effect.grade,
        on_list: effect.onList,
        review_due_on: effect.onList ? nextReviewOn(clock.today) : null,
        review_reminded_for: null,
        left_list_on: effect.onList ? null : clock.today,
      };
    },
    note: (i: ReviewInput) => [i.outcome, i.outcome === 'change_grade' ? i.grade : null, i.note.trim()].filter(Boolean).join(': '),
  } as AnyTransition,
  {
    action: 'withdraw',
    from: ['submitted', 'accepted', 'verified'],
    to: 'withdrawn',
    who: ['applicant'],
    deadline: { kind: 'set', plan: () => null },
    write: (_row, _i, clock) => ({ closed_at: sqlDateTime(clock.now) }),
    note: noteOf,
  },
];

/** The mover's relations: the applicant, the handling staff member, the chair (who oversees every case). */
export function relationsTo(row: Pick<CaseRow, 'employee_id' | 'handler_id'>, mover: Mover): Set<string> {
  const rel = new Set<string>();
  if (row.employee_id === mover.id) rel.add('applicant');
  if (row.handler_id === mover.id) rel.add('handler');
  if (mover.grants?.has(AssistancePermissions.assistanceOversee)) rel.add('chair');
  return rel;
}

export const assistanceFlow: WorkflowSpec<CaseRow> = {
  entity: 'assistance_case',
  table: 'union_assistance_cases',
  historyTable: 'union_assistance_history',
  historyKey: 'case_id',
  hideFromUnrelated: true,
  relations: relationsTo,
  transitions,
};
