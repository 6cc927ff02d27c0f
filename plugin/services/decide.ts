/**
 * The membership rules as one pure function: given what the module knows of a person's employment
 * and their membership, which transitions are due today. Events, reconciliation, the daily job and
 * staff actions all reach the same answer because they all ask this function.
 */

export type MembershipStatus = 'pending' | 'active' | 'retained' | 'expired' | 'withdrawn';

export interface Fact {
  employee_id: string;
  department_id: string;
  status: string;
  hire_date: string | null;
  exit_date: string | null;
  retired: boolean;
  hire_applied: boolean;
  version: number;
}

export interface MembershipRow {
  id: number;
  employee_id: string;
  member_no: string | null;
  status: MembershipStatus;
  org_id: number | null;
  department_id: string | null;
  joined_at: string | null;
  expired_at: string | null;
  status_reason: string | null;
  consent_at: string | null;
  consent_method: string | null;
  /** The reference of a consent given on paper (set when staff enrol someone by hand). */
  consent_ref?: string | null;
  override_status: MembershipStatus | null;
  override_until: string | null;
  version: number;
}

/** The membership columns decide() reads: a reader that selects fewer sees every membership as changed. */
export const DECIDE_COLUMNS = ['employee_id', 'status', 'org_id', 'department_id', 'override_status', 'override_until'] as const;

export type Transition =
  | {
      kind: 'join';
      date: string;
      consentMethod: 'policy' | 'application' | 'invitation' | 'staff' | 'import';
      reason: string;
      consentAt?: string;
    }
  | { kind: 'invite'; reason: string }
  | { kind: 'expire'; date: string; reason: string }
  | { kind: 'retain'; date: string; reason: string }
  | { kind: 'transfer'; toOrg: number | null; toDepartment: string; reason: string }
  | {
      kind: 'set_status';
      status: MembershipStatus;
      date: string;
      reason: string;
      override: boolean;
      until: string | null;
      /** The recorded consent when this makes someone a member (the paper form's date and reference). */
      consent?: { at: string; ref: string };
    }
  | { kind: 'clear_override'; reason: string };

/** Employed on `day` means hired on or before it and not yet at the exit date (the first day away). */
export function employedOn(f: Pick<Fact, 'hire_date' | 'exit_date'>, day: string): boolean {
  return !!f.hire_date && f.hire_date <= day && (!f.exit_date || f.exit_date > day);
}

/** A hand-set status holds through its `until` day (有效至, inclusive); the rules take over the day after. */
function overrideInForce(m: MembershipRow | undefined, today: string): boolean {
  return !!m?.override_status && (!m.override_until || m.override_until >= today);
}

export interface DecideInput {
  fact: Fact | undefined;
  membership: MembershipRow | undefined;
  today: string;
  onHire: 'activate' | 'invite';
  orgOf: (departmentId: string) => number | null;
}

export interface Decision {
  transitions: Transition[];
  /** The on-hire policy has now been applied to the current hire date. */
  markHireApplied: boolean;
}

export function decide({ fact: f, membership: m, today, onHire, orgOf }: DecideInput): Decision {
  const out: Transition[] = [];
  let markHireApplied = false;
  if (!f) return { transitions: out, markHireApplied };

  const employed = employedOn(f, today);
  const left = !employed && !!f.exit_date && f.exit_date <= today && (!f.hire_date || f.hire_date <= f.exit_date);
  // A hand-set status lasts until its date, and never beyond the person's exit: the exit rules take over then.
  if (m?.override_status && !overrideInForce(m, today)) out.push({ kind: 'clear_override', reason: 'override_ended' });
  else if (m?.override_status && left) out.push({ kind: 'clear_override', reason: 'exited' });
  const manual = overrideInForce(m, today) && !left;
  const hireDue = !f.hire_applied && !!f.hire_date && f.hire_date <= today;
  let status: MembershipStatus | undefined = m?.status;

  if (hireDue) {
    markHireApplied = true;
    if (!manual && status !== 'active') {
      if (onHire === 'activate') {
        out.push({ kind: 'join', date: f.hire_date!, consentMethod: 'policy', reason: m ? 'rehired' : 'hired' });
        status = 'active';
      } else if (status !== 'pending') {
        out.push({ kind: 'invite', reason: m ? 'rehired' : 'hired' });
        status = 'pending';
      }
    }
  }

  if (left && !manual && (status === 'active' || status === 'pending')) {
    out.push(
      f.retired && status === 'active'
        ? { kind: 'retain', date: f.exit_date!, reason: 'retired' }
        : { kind: 'expire', date: f.exit_date!, reason: 'exited' },
    );
    status = f.retired && status === 'active' ? 'retained' : 'expired';
  }

  // 会籍接转: a member follows their department, and with it the department's union org.
  if (employed && (status === 'active' || status === 'pending') && m) {
    const target = orgOf(f.department_id) ?? m.org_id;
    if (target !== m.org_id || (m.department_id ?? '') !== f.department_id) {
      out.push({ kind: 'transfer', toOrg: target, toDepartment: f.department_id, reason: 'department_changed' });
    }
  }
  return { transitions: out, markHireApplied };
}

export interface HandSet {
  status: MembershipStatus;
  reason: string;
  date: string;
  until: string | null;
  /** The paper form's date (YYYY-MM-DD) and reference, when staff enrol someone who is not a member. */
  consentDate?: string;
  consentRef?: string;
}

export type HandSetDecision = { transition: Extract<Transition, { kind: 'set_status' }> } | { invalid: { path: string; message: string } };

/**
 * What a status set by hand does, or why it may not. Making someone a member by hand needs the consent
 * they gave on paper (its date and reference), never "now, by staff": the date cannot be in the future
 * nor before they were hired. Nobody who has left is made active, and only members are kept as retained.
 */
export function statusByHand(input: {
  membership: Pick<MembershipRow, 'status'> | undefined;
  hireDate: string | null;
  employed: boolean;
  today: string;
  set: HandSet;
}): HandSetDecision {
  const { membership: m, hireDate, employed, today, set } = input;
  const isMember = m?.status === 'active' || m?.status === 'retained';
  const invalid = (path: string, message: string): HandSetDecision => ({ invalid: { path, message } });
  if (set.status === 'active' && !employed) return invalid('body.status', 'cannot be active for someone who is not employed');
  if (set.status === 'retained' && !isMember) return invalid('body.status', 'cannot be retained for someone who is not a member');
  const base = {
    kind: 'set_status' as const,
    status: set.status,
    reason: set.reason,
    date: set.date,
    override: true,
    until: set.until,
  };
  if (set.status !== 'active' || isMember) return { transition: base };
  if (!set.consentDate) return invalid('body.consentDate', 'is required: the date of the signed membership form');
  if (set.consentDate > today) return invalid('body.consentDate', 'must not be in the future');
  if (hireDate && set.consentDate < hireDate) return invalid('body.consentDate', 'must not be before the hire date');
  if (!set.consentRef?.trim()) return invalid('body.consentRef', 'is required: the reference of the signed membership form');
  return { transition: { ...base, consent: { at: `${set.consentDate} 00:00:00.000`, ref: set.consentRef.trim() } } };
}
