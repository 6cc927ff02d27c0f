/**
 * Employment facts: the few dates and ids the rules need, kept in step with the host by events and
 * reconciliation. Dates decide, not the order messages arrive in.
 */
import type { Employee, HostEvent } from '../host';
import { dateIn, sqlDateTime, sqlFromIso } from '../lib/time';
import type { Fact } from './decide';

export interface FactRow extends Fact {
  fact_at: string;
  dept_at: string;
}

export type FactOutcome = 'applied' | 'stale' | 'noop';

const EPOCH = '1970-01-01 00:00:00.000';

export function isRetirement(reason: unknown, retired: unknown, reasons: string[]): boolean {
  return retired === true || (typeof reason === 'string' && reasons.some((r) => r.toLowerCase() === reason.trim().toLowerCase()));
}

export function blankFact(employeeId: string): FactRow {
  return {
    employee_id: employeeId,
    department_id: '',
    status: 'unknown',
    hire_date: null,
    exit_date: null,
    retired: false,
    hire_applied: false,
    version: 0,
    fact_at: EPOCH,
    dept_at: EPOCH,
  };
}

/**
 * Folds one event into the facts. A hire older than the known hire, or an exit older than it, belongs
 * to an earlier employment and is stale; an exit that arrives before its hire is kept and waits for it.
 */
export function foldEvent(
  f: FactRow,
  e: HostEvent,
  timezone: string,
  retirementReasons: string[],
): { next: FactRow; outcome: FactOutcome } {
  const at = new Date(e.timestamp);
  const atSql = sqlDateTime(at);
  const day = dateIn(timezone, at);
  const next: FactRow = { ...f };
  const later = (a: string, b: string) => (a > b ? a : b);
  switch (e.type) {
    case 'employee.hired': {
      const hire = e.data.hireDate ?? day;
      if (f.hire_date && hire < f.hire_date) return { next: f, outcome: 'stale' };
      if (f.hire_date === hire) {
        if (e.data.departmentId && atSql > f.dept_at) Object.assign(next, { department_id: e.data.departmentId, dept_at: atSql });
        return { next, outcome: next.department_id === f.department_id ? 'noop' : 'applied' };
      }
      next.hire_date = hire;
      next.hire_applied = false;
      // An exit before this hire closed an earlier employment; a later one (arrived early) still stands.
      // On the same day, the order in which the two things happened decides.
      if (f.exit_date && (f.exit_date < hire || (f.exit_date === hire && atSql > f.fact_at)))
        Object.assign(next, { exit_date: null, retired: false });
      next.status = next.exit_date ? (next.retired ? 'retired' : 'exited') : 'employed';
      if (e.data.departmentId && atSql >= f.dept_at) Object.assign(next, { department_id: e.data.departmentId, dept_at: atSql });
      next.fact_at = later(f.fact_at, atSql);
      return { next, outcome: 'applied' };
    }
    case 'employee.exited': {
      const exit = e.data.exitDate ?? day;
      // An exit before the known hire belongs to an earlier employment. The same day counts as this
      // employment only if the exit happened after the hire was recorded.
      if (f.hire_date && (exit < f.hire_date || (exit === f.hire_date && atSql < f.fact_at))) return { next: f, outcome: 'stale' };
      const retired = isRetirement(e.data.reason, e.data.retired, retirementReasons);
      if (f.exit_date === exit && f.retired === retired) return { next: f, outcome: 'noop' };
      Object.assign(next, { exit_date: exit, retired, status: retired ? 'retired' : 'exited', fact_at: later(f.fact_at, atSql) });
      return { next, outcome: 'applied' };
    }
    case 'employee.transferred':
    case 'employee.updated': {
      const dept = e.data.departmentId;
      if (!dept || atSql < f.dept_at) return { next: f, outcome: dept ? 'stale' : 'noop' };
      if (dept === f.department_id) return { next: f, outcome: 'noop' };
      Object.assign(next, { department_id: dept, dept_at: atSql, fact_at: later(f.fact_at, atSql) });
      return { next, outcome: 'applied' };
    }
  }
}

/**
 * The latest time a fact or an event may carry: now plus the tolerance allowed for clocks that differ.
 * Anything later is refused as an event, and as a stored fact time it counts for nothing.
 */
export function latestTrustedAt(now: Date, toleranceSec: number): string {
  return sqlDateTime(new Date(now.getTime() + toleranceSec * 1000));
}

/**
 * The facts as the host's master data states them now. Stored times after `trustUntil` are not
 * trusted: the host's record time replaces them.
 */
export function factFromEmployee(
  emp: Pick<Employee, 'id' | 'departmentId' | 'status' | 'hireDate' | 'exitDate' | 'exitReason' | 'updatedAt'>,
  prev: FactRow | undefined,
  retirementReasons: string[],
  installedOn: string,
  trustUntil?: string,
): FactRow {
  const untrusted = (at: string) => trustUntil !== undefined && at > trustUntil;
  const base = prev ?? blankFact(emp.id);
  const factAt = untrusted(base.fact_at) ? EPOCH : base.fact_at;
  const updated = sqlFromIso(emp.updatedAt);
  const exitDate = emp.exitDate ?? null;
  const retired = emp.status === 'retired' || isRetirement(emp.exitReason, false, retirementReasons);
  const newHire = !prev || !prev.hire_date || emp.hireDate > prev.hire_date;
  return {
    ...base,
    department_id: emp.departmentId,
    status: emp.status,
    hire_date: emp.hireDate,
    exit_date: exitDate,
    retired: exitDate ? retired : false,
    // People already employed when the module arrived are not new hires: staff invite or import them.
    hire_applied: newHire ? (!prev ? emp.hireDate < installedOn : false) : base.hire_applied,
    fact_at: updated > factAt ? updated : factAt,
    dept_at: emp.departmentId !== base.department_id || untrusted(base.dept_at) ? updated : base.dept_at,
  };
}

export function sameFacts(a: FactRow, b: FactRow): boolean {
  return (
    a.department_id === b.department_id &&
    a.hire_date === b.hire_date &&
    a.exit_date === b.exit_date &&
    a.retired === b.retired &&
    a.status === b.status
  );
}

export function factColumns(f: FactRow) {
  return {
    department_id: f.department_id,
    status: f.status,
    hire_date: f.hire_date,
    exit_date: f.exit_date,
    retired: f.retired,
    hire_applied: f.hire_applied,
    fact_at: f.fact_at,
    dept_at: f.dept_at,
  };
}
