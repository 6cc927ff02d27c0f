/**
 * The shortfall case's transition table (when the company falls short of the law or the contract):
 * evidence first (the case cannot leave its first step without a file), then prompt → consultation →
 * formal letter → rectification check, and hand-over to the higher-level union or the labour authority
 * when the check finds it not put right. The company may put it right at any step after the prompt.
 * Every step carries the day it took place (`on`); deadlines count working days from that day.
 */
import type { ErrorDetail } from '../../errors';
import type { Mover, Transition, WorkflowRow, WorkflowSpec } from '../workflow';
import { asDate } from '../../lib/time';
import { ContractPermissions } from '../../routes/contracts/permissions';

export const SHORTFALL_KINDS = ['unpaid_wages', 'social_insurance', 'excess_overtime', 'missing_protection'] as const;
export type ShortfallKind = (typeof SHORTFALL_KINDS)[number];
export const HAND_OVER_TO = ['higher_union', 'labour_authority'] as const;
export const CLOSED: readonly string[] = ['rectified', 'handed_over'];
export const STEPS = ['evidence', 'prompted', 'consulting', 'letter_sent', 'checking', 'rectified', 'handed_over'] as const;

/** Working days the company has to answer each step (the letter's rectification period comes from the input). */
export const ANSWER_DAYS = { prompt: 5, consult: 10, letterDefault: 15, check: 3 } as const;

export interface ShortfallRow extends WorkflowRow {
  kind: ShortfallKind;
  summary: string;
  contract_id: number | null;
  clause_id: number | null;
  opened_on: unknown;
  prompted_on: unknown;
  consulted_on: unknown;
  letter_on: unknown;
  checked_on: unknown;
  closed_on: unknown;
  handed_to: string | null;
}

export interface StepInput {
  /** The day the step took place (resolved by the service: today when not given). */
  on: string;
  today: string;
  note?: string;
  /** Files stored on the case (resolved by the service). */
  evidenceFiles: number;
  days?: number;
  to?: (typeof HAND_OVER_TO)[number];
}

/** The latest day a step of the case was dated. */
export function lastStepOn(row: ShortfallRow): string {
  const days = [row.opened_on, row.prompted_on, row.consulted_on, row.letter_on, row.checked_on].map(asDate).filter(Boolean) as string[];
  return days.sort().pop()!;
}

/** The step's day: not in the future, not before the case's previous step. Pure. */
export function checkOn(i: StepInput, row: ShortfallRow): ErrorDetail | null {
  if (i.on > i.today) return { path: 'body.on', message: 'must not be in the future' };
  if (i.on < lastStepOn(row)) return { path: 'body.on', message: `must not be before the previous step (${lastStepOn(row)})` };
  return null;
}

const note = (i: StepInput) => (i.note?.trim() ? null : { path: 'body.note', message: 'is required' });
const dated = (i: StepInput, row: ShortfallRow) => checkOn(i, row) ?? note(i);
const STAFF = ['staff'];
const OPEN_AFTER_PROMPT = ['prompted', 'consulting', 'letter_sent', 'checking'];

const transitions: Transition<ShortfallRow, StepInput>[] = [
  {
    action: 'prompt',
    from: ['evidence'],
    to: 'prompted',
    who: STAFF,
    requires: (i, row) =>
      i.evidenceFiles > 0 ? checkOn(i, row) : { path: 'evidence', message: 'record at least one evidence file before the case moves on' },
    deadline: { kind: 'set', plan: (_r, i) => ({ base: i.on, days: ANSWER_DAYS.prompt }) },
    write: (_r, i) => ({ prompted_on: i.on }),
    note: (i) => i.note?.trim() || null,
  },
  {
    action: 'consult',
    from: ['prompted'],
    to: 'consulting',
    who: STAFF,
    requires: dated,
    deadline: { kind: 'set', plan: (_r, i) => ({ base: i.on, days: ANSWER_DAYS.consult }) },
    write: (_r, i) => ({ consulted_on: i.on }),
    note: (i) => i.note!.trim(),
  },
  {
    action: 'send_letter',
    from: ['consulting'],
    to: 'letter_sent',
    who: STAFF,
    requires: dated,
    // The letter sets the rectification period; the check is due when it ends.
    deadline: { kind: 'set', plan: (_r, i) => ({ base: i.on, days: i.days ?? ANSWER_DAYS.letterDefault }) },
    write: (_r, i) => ({ letter_on: i.on }),
    note: (i) => i.note!.trim(),
  },
  {
    action: 'check',
    from: ['letter_sent'],
    to: 'checking',
    who: STAFF,
    requires: dated,
    // Not put right: the hand-over should follow within a few working days.
    deadline: { kind: 'set', plan: (_r, i) => ({ base: i.on, days: ANSWER_DAYS.check }) },
    write: (_r, i) => ({ checked_on: i.on }),
    note: (i) => i.note!.trim(),
  },
  {
    action: 'rectified',
    from: OPEN_AFTER_PROMPT,
    to: 'rectified',
    who: STAFF,
    requires: dated,
    deadline: { kind: 'set', plan: () => null },
    write: (_r, i) => ({ closed_on: i.on }),
    note: (i) => i.note!.trim(),
  },
  {
    action: 'hand_over',
    from: ['checking'],
    to: 'handed_over',
    who: STAFF,
    requires: (i, row) => (i.to ? dated(i, row) : { path: 'body.to', message: 'is required: higher_union or labour_authority' }),
    deadline: { kind: 'set', plan: () => null },
    write: (_r, i) => ({ closed_on: i.on, handed_to: i.to }),
    note: (i) => `${i.to}: ${i.note!.trim()}`,
  },
];

export const shortfallFlow: WorkflowSpec<ShortfallRow> = {
  entity: 'shortfall',
  table: 'union_shortfalls',
  historyTable: 'union_shortfall_history',
  historyKey: 'shortfall_id',
  transitions,
  relations: (_row, mover: Mover) => new Set(mover.grants?.has(ContractPermissions.contractsManage) ? ['staff'] : []),
};
