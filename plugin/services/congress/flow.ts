/**
 * The motion's transition table (提案): submitted → accepted (立案) → assigned (lead department, answer
 * deadline in working days) → answered → closed when the proposer rates it 满意/基本满意; 不满意 sends it
 * back to the department once with a fresh deadline, a second 不满意 closes it as rated. The committee
 * may instead turn a submitted motion into a suggestion (with its reason), which ends it.
 */
import type { Mover, Transition, WorkflowRow, WorkflowSpec } from '../workflow';
import { sqlDateTime } from '../../lib/time';
import { CongressPermissions as C } from '../../routes/congress/permissions';

export interface MotionRow extends WorkflowRow {
  session_id: number;
  proposer_id: string;
  withhold_name: number | boolean;
  title: string;
  content: string;
  committee_reason: string | null;
  lead_department_id: string | null;
  answerer_id: string | null;
  answer_days: number | null;
  answer: string | null;
  answered_at: string | null;
  rating: string | null;
  sent_back: number;
  escalation_level: number;
  submitted_at: string;
}

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
/** How many times 不满意 sends an answer back before a further 不满意 is final. */
export const SEND_BACKS = 1;

export interface ReasonInput {
  reason: string;
}
export interface AssignInput {
  leadDepartmentId: string;
  answererId: string;
  supportingDepartmentIds?: string[];
  days: number;
}
export interface AnswerInput {
  answer: string;
}
export interface RateInput {
  rating: Rating;
  comment?: string;
}

const required = (v: unknown, path: string) => (typeof v === 'string' && v.trim() ? null : { path, message: 'is required' });
const COMMITTEE = ['committee'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTransition = Transition<MotionRow, any>;

/** 不满意 with a send-back left goes back to the department; anything else closes the motion. */
export function afterRating(row: Pick<MotionRow, 'sent_back'>, rating: Rating): 'assigned' | 'closed' {
  return rating === 'dissatisfied' && row.sent_back < SEND_BACKS ? 'assigned' : 'closed';
}

const transitions: AnyTransition[] = [
  { action: 'accept', from: ['submitted'], to: 'accepted', who: COMMITTEE } as AnyTransition,
  {
    action: 'convert',
    from: ['submitted'],
    to: 'suggestion',
    who: COMMITTEE,
    requires: (i: ReasonInput) => required(i.reason, 'body.reason'),
    write: (_row, i: ReasonInput) => ({ committee_reason: i.reason.trim() }),
    note: (i: ReasonInput) => i.reason,
  } as AnyTransition,
  {
    action: 'assign',
    from: ['accepted'],
    to: 'assigned',
    who: COMMITTEE,
    requires: (i: AssignInput) => required(i.leadDepartmentId, 'body.leadDepartmentId') ?? required(i.answererId, 'body.answererId'),
    deadline: { kind: 'set', plan: (_row, i: AssignInput, clock) => ({ base: clock.today, days: i.days }) },
    write: (_row, i: AssignInput) => ({
      lead_department_id: i.leadDepartmentId,
      answerer_id: i.answererId,
      answer_days: i.days,
      escalation_level: 0,
    }),
    note: (i: AssignInput) => [i.leadDepartmentId, ...(i.supportingDepartmentIds ?? [])].join(', '),
  } as AnyTransition,
  {
    action: 'answer',
    from: ['assigned'],
    to: 'answered',
    // Staff record an answer the department gave on paper.
    who: ['answerer', 'preparer', 'committee'],
    requires: (i: AnswerInput) => required(i.answer, 'body.answer'),
    write: (_row, i: AnswerInput, clock) => ({ answer: i.answer.trim(), answered_at: sqlDateTime(clock.now) }),
    note: (i: AnswerInput) => i.answer,
  } as AnyTransition,
  {
    action: 'rate',
    from: ['answered'],
    to: (row, i: RateInput) => afterRating(row, i.rating),
    who: ['proposer'],
    deadline: {
      kind: 'set',
      plan: (row, i: RateInput, clock) =>
        afterRating(row, i.rating) === 'assigned' ? { base: clock.today, days: row.answer_days ?? 10 } : 'keep',
    },
    write: (row, i: RateInput) =>
      afterRating(row, i.rating) === 'assigned'
        ? { rating: i.rating, sent_back: row.sent_back + 1, escalation_level: 0 }
        : { rating: i.rating },
    note: (i: RateInput) => [i.rating, i.comment?.trim()].filter(Boolean).join(': '),
  } as AnyTransition,
];

export function motionRelations(row: Pick<MotionRow, 'proposer_id' | 'answerer_id'>, mover: Mover): Set<string> {
  const rel = new Set<string>();
  if (row.proposer_id === mover.id) rel.add('proposer');
  if (row.answerer_id && row.answerer_id === mover.id) rel.add('answerer');
  if (mover.grants?.has(C.congressManage)) rel.add('committee');
  if (mover.grants?.has(C.congressPrepare)) rel.add('preparer');
  return rel;
}

export const motionFlow: WorkflowSpec<MotionRow> = {
  entity: 'congress_motion',
  table: 'union_congress_motions',
  historyTable: 'union_congress_motion_history',
  historyKey: 'motion_id',
  relations: motionRelations,
  transitions,
};
