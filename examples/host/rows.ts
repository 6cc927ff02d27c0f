/** The shape of host_employees rows and the one place that turns them into the contract's Employee. */
import type { Employee, EmployeeBrief, EmploymentStatus } from '../../plugin/host';
import { asDate, isoFromSql } from './time';

export interface EmployeeRow {
  id: string;
  employee_no: string;
  name: string;
  department_id: string;
  gender: 'M' | 'F';
  birth_date: string;
  hire_date: string;
  exit_date: string | null;
  exit_reason: string | null;
  status: EmploymentStatus;
  position: string | null;
  shift_worker: boolean | number;
  expatriate: boolean | number;
  phone: string | null;
  email: string | null;
  id_number: string | null;
  updated_at: string;
}

export function toEmployee(r: EmployeeRow): Employee {
  return {
    id: r.id,
    employeeNo: r.employee_no,
    name: r.name,
    departmentId: r.department_id,
    gender: r.gender,
    birthDate: asDate(r.birth_date) as string,
    hireDate: asDate(r.hire_date) as string,
    exitDate: asDate(r.exit_date),
    exitReason: r.exit_reason,
    status: r.status,
    position: r.position,
    // Both drivers hand booleans back as 0/1.
    shiftWorker: Boolean(r.shift_worker),
    expatriate: Boolean(r.expatriate),
    phone: r.phone,
    email: r.email,
    idNumber: r.id_number,
    updatedAt: isoFromSql(r.updated_at),
  };
}

/** The columns toEmployeeBrief reads. */
export const BRIEF_COLUMNS = [
  'id',
  'employee_no',
  'name',
  'department_id',
  'status',
  'hire_date',
  'exit_date',
  'exit_reason',
  'updated_at',
];

export function toEmployeeBrief(
  r: Pick<
    EmployeeRow,
    'id' | 'employee_no' | 'name' | 'department_id' | 'status' | 'hire_date' | 'exit_date' | 'exit_reason' | 'updated_at'
  >,
): EmployeeBrief {
  return {
    id: r.id,
    employeeNo: r.employee_no,
    name: r.name,
    departmentId: r.department_id,
    status: r.status,
    hireDate: asDate(r.hire_date) as string,
    exitDate: asDate(r.exit_date),
    exitReason: r.exit_reason,
    updatedAt: isoFromSql(r.updated_at),
  };
}
