/**
 * The membership area's presenter: rows as the services read them become the view models that
 * templates and API answers use. No database column name passes beyond this file.
 */
import { asDate } from '../../lib/time';

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function ownMembership(m: Row | null) {
  return m
    ? {
        memberNo: str(m.member_no),
        status: String(m.status),
        joinedAt: asDate(m.joined_at),
        expiredAt: asDate(m.expired_at),
        orgName: str(m.org_name),
      }
    : null;
}

export function application(r: Row & { name?: string; employeeNo?: string; department?: string }) {
  return {
    id: Number(r.id),
    employeeId: String(r.employee_id),
    name: r.name,
    employeeNo: r.employeeNo,
    department: r.department,
    status: String(r.status),
    note: str(r.note),
    submittedAt: str(r.submitted_at),
    consentAt: str(r.consent_at),
    decidedAt: str(r.decided_at),
    decisionReason: str(r.decision_reason),
  };
}

export function invitationCandidate(r: Row & { name?: string }) {
  return {
    employeeId: String(r.employee_id),
    name: r.name,
    departmentId: str(r.department_id),
    membershipStatus: str(r.membership_status),
    invitationStatus: str(r.invitation_status),
    sentAt: str(r.sent_at),
    reminders: num(r.reminders) ?? 0,
  };
}

export function historyEntry(h: Row) {
  return {
    at: str(h.at),
    effectiveDate: asDate(h.effective_date),
    fromStatus: str(h.from_status),
    toStatus: str(h.to_status),
    fromOrgId: num(h.from_org_id),
    toOrgId: num(h.to_org_id),
    memberNo: str(h.member_no),
    reason: str(h.reason),
    source: str(h.source),
    actor: str(h.actor),
  };
}

export function auditEntry(a: Row) {
  return {
    at: str(a.at),
    actor: str(a.actor),
    actorKind: str(a.actor_kind),
    action: str(a.action),
    before: a.before ?? null,
    after: a.after ?? null,
  };
}

export function syncRun(r: Row) {
  return {
    id: Number(r.id),
    trigger: str(r.trigger),
    actor: str(r.actor),
    status: str(r.status),
    startedAt: str(r.started_at),
    finishedAt: str(r.finished_at),
    scanned: num(r.scanned),
    counts: r.counts ?? null,
    error: str(r.error),
  };
}

export function syncChange(c: Row) {
  return { employeeId: String(c.employee_id), change: String(c.change), detail: c.detail ?? null };
}
