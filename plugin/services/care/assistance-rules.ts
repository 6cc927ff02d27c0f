/**
 * Hardship assistance (专项帮扶): the rules that need no database, table-tested. The case's steps,
 * their working-day clocks (urgent cases, 急难, on the shorter one), the settings with their defaults,
 * what the public notice may show, and when the yearly review falls due.
 */
import type { Ctx } from '../../context';
import { addMonths } from '../../lib/retirement';

export const CATEGORIES = ['illness', 'work_injury', 'family_emergency', 'other'] as const;
export type AssistanceCategory = (typeof CATEGORIES)[number];
export const GRADES = ['deep', 'relative', 'sudden'] as const;
export type Grade = (typeof GRADES)[number];
export const KINDS = ['cash', 'goods', 'service'] as const;
export const REVIEW_OUTCOMES = ['continue', 'change_grade', 'leave'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** States in which the case is still being handled: the applicant belongs to the hardship group meanwhile. */
export const OPEN_STATUSES = ['submitted', 'accepted', 'verified', 'noticed'] as const;
export const STATUSES = [...OPEN_STATUSES, 'approved', 'paid', 'followed_up', 'rejected', 'withdrawn'] as const;

/** The steps that carry a deadline: the working days each may take from the day the previous one ended. */
export type Step = 'accept' | 'verify' | 'confer' | 'pay' | 'followUp';
export type StepDays = Record<Step, number>;

export interface AssistanceSettings {
  /** Working days the public notice (公示) stays up. */
  noticeDays: number;
  days: StepDays;
  /** 急难: the same steps on a shorter clock (0 = by the end of the working day). */
  urgentDays: StepDays;
  /** Days before a yearly review falls due that the handling staff are reminded. */
  reviewLeadDays: number;
  /** Who takes new cases (受理); without it, the union staff the host lists by role, else the chair. */
  handlerIds: string[];
}

export const ASSISTANCE_DEFAULTS: AssistanceSettings = {
  noticeDays: 5,
  days: { accept: 2, verify: 5, confer: 5, pay: 5, followUp: 20 },
  urgentDays: { accept: 0, verify: 1, confer: 1, pay: 1, followUp: 10 },
  reviewLeadDays: 30,
  handlerIds: [],
};

export function assistanceSettings(ctx: Ctx): AssistanceSettings {
  const s = (ctx.settings as unknown as { assistance?: Partial<AssistanceSettings> }).assistance ?? {};
  return {
    ...ASSISTANCE_DEFAULTS,
    ...s,
    days: { ...ASSISTANCE_DEFAULTS.days, ...s.days },
    urgentDays: { ...ASSISTANCE_DEFAULTS.urgentDays, ...s.urgentDays },
  };
}

/** The working days a step may take on this case's clock. */
export function stepDays(s: Pick<AssistanceSettings, 'days' | 'urgentDays'>, urgent: boolean, step: Step): number {
  return (urgent ? s.urgentDays : s.days)[step];
}

/**
 * A name as the public notice shows it: the family name and a mask for the rest (王小明 → 王**), a Latin
 * name keeps its first letter (Alice Wang → A*********). Never more than the first character.
 */
export function maskName(name: string | null | undefined): string {
  const s = (name ?? '').trim();
  if (!s) return '*';
  const chars = [...s];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** The date a case on the list is next reviewed: a year after approval or after its last review. */
export function nextReviewOn(from: string): string {
  return addMonths(from, 12);
}

/** Whether the staff should be reminded of a review now: within the lead days and not yet for this due date. */
export function reviewReminderDue(
  row: { on_list: boolean; review_due_on: string | null; review_reminded_for: string | null },
  today: string,
  leadDays: number,
): boolean {
  if (!row.on_list || !row.review_due_on) return false;
  if (row.review_reminded_for === row.review_due_on) return false;
  const lead = new Date(Date.parse(`${row.review_due_on}T00:00:00Z`) - leadDays * 86_400_000).toISOString().slice(0, 10);
  return today >= lead;
}

/** What a review does to the case: the grade it keeps or takes, and whether it stays on the list. */
export function reviewEffect(
  current: Grade | null,
  input: { outcome: ReviewOutcome; grade?: Grade },
): { grade: Grade | null; onList: boolean } | { error: { path: string; message: string } } {
  switch (input.outcome) {
    case 'continue':
      return { grade: current, onList: true };
    case 'change_grade':
      if (!input.grade) return { error: { path: 'body.grade', message: 'is required to change the grade' } };
      if (input.grade === current) return { error: { path: 'body.grade', message: 'is already the grade' } };
      return { grade: input.grade, onList: true };
    case 'leave':
      return { grade: current, onList: false };
  }
}
