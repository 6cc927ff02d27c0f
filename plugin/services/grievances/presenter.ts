/**
 * Grievance rows become what a viewer may see, in one place. Anonymity lives here: for handling staff
 * an anonymous case has no filer (no id, name or contact, and the filer's own history entries read
 * "the employee"); the chair and the filer see both.
 */
import type { Employee } from '../../host';
import { asDate, fromSqlDateTime } from '../../lib/time';
import type { GrievanceRow } from './flow';

const iso = (v: string | null | undefined) => fromSqlDateTime(v)?.toISOString() ?? null;
const bool = (v: unknown) => (v === null || v === undefined ? null : Boolean(v));

export interface HistoryRow {
  at: string;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
}

/** Whether this viewer may know who filed the case. */
export function seesFiler(row: GrievanceRow, rel: ReadonlySet<string>): boolean {
  return rel.has('chair') || rel.has('filer') || !row.anonymous;
}

export function presentListItem(row: GrievanceRow, rel: ReadonlySet<string>) {
  return {
    id: row.id,
    status: row.status,
    category: row.category,
    channel: row.channel,
    path: row.path,
    summary: row.content.length > 80 ? `${row.content.slice(0, 80)}…` : row.content,
    anonymous: Boolean(row.anonymous),
    filerId: seesFiler(row, rel) ? row.filer_id : null,
    assigneeId: row.assignee_id,
    receivedAt: iso(row.received_at),
    dueAt: iso(row.due_at),
    dueDate: asDate(row.due_date),
    paused: Boolean(row.clock_paused_at),
    escalationLevel: row.escalation_level,
  };
}

export function presentCase(
  row: GrievanceRow,
  rel: ReadonlySet<string>,
  history: HistoryRow[],
  people: ReadonlyMap<string, Employee>,
  actions: string[],
) {
  const identity = seesFiler(row, rel);
  const filer = identity && row.filer_id ? people.get(row.filer_id) : undefined;
  return {
    ...presentListItem(row, rel),
    content: row.content,
    concerns: row.concerns,
    nextRound: row.next_round,
    departmentId: identity ? row.department_id : null,
    filer: filer ? { id: filer.id, name: filer.name, phone: filer.phone ?? null, email: filer.email ?? null } : null,
    assigneeName: people.get(row.assignee_id)?.name ?? null,
    dueEstimated: Boolean(row.due_estimated),
    remainingDaysWhenPaused: row.clock_paused_at ? row.clock_remaining_days : null,
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    handlingDays: row.handling_days,
    onTime: bool(row.on_time),
    outcome: row.outcome,
    evaluation: row.evaluation,
    evaluationComment: row.evaluation_comment,
    knowsOutcome: bool(row.knows_outcome),
    acceptsOutcome: bool(row.accepts_outcome),
    newProblem: bool(row.new_problem),
    reopenedCount: row.reopened_count,
    locked: row.status === 'closed',
    relations: [...rel],
    actions,
    history: history.map((h) => {
      const byFiler = row.filer_id !== null && h.actor === row.filer_id;
      // Route and follow-up notes start with a code (the path, the evaluation) that pages translate.
      const coded = (h.action === 'route' || h.action === 'follow_up') && h.note ? /^(\w+)(?:: ([\s\S]*))?$/.exec(h.note) : null;
      return {
        at: iso(h.at),
        action: h.action,
        from: h.from_status,
        to: h.to_status,
        note: coded ? (coded[2] ?? null) : h.note,
        path: h.action === 'route' ? (coded?.[1] ?? null) : null,
        evaluation: h.action === 'follow_up' ? (coded?.[1] ?? null) : null,
        by: byFiler ? 'filer' : 'staff',
        actorId: byFiler ? (identity ? h.actor : null) : h.actor,
        actorName: byFiler ? (identity ? (filer?.name ?? null) : null) : (people.get(h.actor)?.name ?? null),
      };
    }),
  };
}

export type CaseView = ReturnType<typeof presentCase>;
export type CaseListItem = ReturnType<typeof presentListItem>;
