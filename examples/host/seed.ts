/**
 * A deterministic synthetic company: the same seed gives the same people on every machine, so
 * tests and benchmarks can name them. Only runs on an empty host_employees table.
 */
import type { Knex } from 'knex';
import { mulberry32, type Rng } from './prng';
import { DEMO_USERS, DEPARTMENTS, EXIT_REASONS, GIVEN_FEMALE, GIVEN_MALE, ID_REGIONS, SURNAMES, type DepartmentSpec } from './seed-data';
import type { EmployeeRow } from './rows';

export { loadEmployeesCsv } from './employees-csv';

export interface SeedOptions {
  /** Synthetic employees E000001…; the four demo users come on top unless demoUsers is false. */
  employees?: number;
  seed?: number;
  demoUsers?: boolean;
  /** The company's "today": no hire or exit falls after it, so the data does not depend on the real clock. */
  asOf?: string;
}

export interface SeedSummary {
  seeded: boolean;
  employees: number;
  departments: number;
}

const CHUNK = 500;
const DAY_MS = 86_400_000;

export async function seedCompany(db: Knex, opts: SeedOptions = {}): Promise<SeedSummary> {
  const { employees = 3000, seed = 20261123, demoUsers = true, asOf = '2026-11-01' } = opts;
  if (await db('host_employees').first('id')) return { seeded: false, employees: 0, departments: 0 };

  const rows = generateEmployees(employees, seed, asOf);
  if (demoUsers) rows.push(...demoRows());

  await db.transaction(async (trx) => {
    const existing = new Set((await trx('host_departments').pluck('id')) as string[]);
    const departments = DEPARTMENTS.filter((d) => !existing.has(d.id)).map((d) => ({ id: d.id, name: d.name, parent_id: null }));
    if (departments.length) await trx('host_departments').insert(departments);
    // Multi-row inserts: 100k people in ~200 statements, all in one transaction.
    for (let i = 0; i < rows.length; i += CHUNK) await trx('host_employees').insert(rows.slice(i, i + CHUNK));
    if (demoUsers) {
      const roles = DEMO_USERS.flatMap((u) => u.roles.map((role) => ({ user_id: u.id, role })));
      await trx('host_user_roles').insert(roles).onConflict(['user_id', 'role']).ignore();
    }
  });
  return { seeded: true, employees: rows.length, departments: DEPARTMENTS.length };
}

/** Pure: the rows seedCompany would insert, exported for tests that check determinism without a database. */
export function generateEmployees(count: number, seed: number, asOf: string): EmployeeRow[] {
  const rng = mulberry32(seed);
  const weights = DEPARTMENTS.map((d) => d.weight);
  const asOfDay = toDay(asOf);
  const rows: EmployeeRow[] = new Array(count);
  for (let i = 0; i < count; i++) rows[i] = generateOne(rng, i + 1, DEPARTMENTS[rng.weighted(weights)], asOfDay);
  return rows;
}

function generateOne(rng: Rng, n: number, dept: DepartmentSpec, asOfDay: number): EmployeeRow {
  const seq = String(n).padStart(6, '0');
  const gender = rng.chance(dept.male) ? 'M' : 'F';
  // The mean of two uniforms puts most people in mid-career, as in a real workforce.
  const birthDay = toDay('1962-01-01') + Math.floor(((rng.next() + rng.next()) / 2) * (toDay('2004-12-31') - toDay('1962-01-01')));
  const earliestHire = Math.max(toDay('2000-01-01'), addYears(birthDay, 18));
  const hireDay = rng.int(earliestHire, asOfDay - 1);

  let status: EmployeeRow['status'] = 'employed';
  let exitDay: number | null = null;
  let exitReason: string | null = null;
  // Simplified statutory ages; some stay on past them (返聘), so near-retirement people still appear.
  const retireDay = addYears(birthDay, gender === 'M' ? 60 : 55);
  if (retireDay <= asOfDay && retireDay > hireDay && rng.chance(0.7)) {
    status = 'retired';
    exitDay = retireDay;
    exitReason = 'retired';
  } else if (hireDay + 30 < asOfDay && rng.chance(0.05)) {
    status = 'exited';
    exitDay = rng.int(hireDay + 30, asOfDay - 1);
    exitReason = rng.pick(EXIT_REASONS);
  }

  return {
    id: `E${seq}`,
    employee_no: `EM${seq}`,
    name: chineseName(rng, gender),
    department_id: dept.id,
    gender,
    birth_date: fromDay(birthDay),
    hire_date: fromDay(hireDay),
    exit_date: exitDay === null ? null : fromDay(exitDay),
    exit_reason: exitReason,
    status,
    position: rng.pick(dept.positions),
    shift_worker: rng.chance(dept.shift),
    expatriate: rng.chance(dept.expatriate),
    phone: `138${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
    email: `e${seq}@example.com`,
    id_number: maskedIdNumber(rng),
    // The last HR change: the exit if any, else the hire (09:00 Beijing).
    updated_at: `${fromDay(exitDay ?? hireDay)} 01:00:00.000`,
  };
}

function demoRows(): EmployeeRow[] {
  return DEMO_USERS.map((u) => ({
    id: u.id,
    employee_no: u.employeeNo,
    name: u.name,
    department_id: u.departmentId,
    gender: u.gender,
    birth_date: u.birthDate,
    hire_date: u.hireDate,
    exit_date: null,
    exit_reason: null,
    status: 'employed',
    position: u.position,
    shift_worker: u.departmentId === 'D01',
    expatriate: false,
    phone: null,
    email: `${u.id}@example.com`,
    id_number: null,
    updated_at: `${u.hireDate} 01:00:00.000`,
  }));
}

function chineseName(rng: Rng, gender: 'M' | 'F'): string {
  const given = gender === 'M' ? GIVEN_MALE : GIVEN_FEMALE;
  return rng.pick(SURNAMES) + rng.pick(given) + (rng.chance(0.6) ? rng.pick(given) : '');
}

/** Looks like a masked 身份证号 (region + stars + tail) and is never a real one. */
function maskedIdNumber(rng: Rng): string {
  const tail = String(rng.int(0, 999)).padStart(3, '0') + (rng.chance(0.1) ? 'X' : String(rng.int(0, 9)));
  return `${rng.pick(ID_REGIONS)}********${tail}`;
}

function toDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function addYears(day: number, years: number): number {
  const d = new Date(day * DAY_MS);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return Math.floor(d.getTime() / DAY_MS);
}
