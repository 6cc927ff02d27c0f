/**
 * Loads employee master data in the format of shared/fixtures/legacy-ledger/employees.csv, so
 * ledger-import tests can match a union's hand-kept ledger against known people.
 * The employee number doubles as the id; departments are found by name and created when missing.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { sqlDateTime } from './time';

const COLUMNS = ['employee_no', 'name', 'department', 'gender', 'birth_date', 'hire_date', 'status', 'exit_date', 'phone'] as const;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const STATUSES = new Set(['employed', 'exited', 'retired']);

export interface CsvLoadSummary {
  employees: number;
  departmentsCreated: number;
}

export async function loadEmployeesCsv(db: Knex, csvText: string, now: Date = new Date()): Promise<CsvLoadSummary> {
  const [header, ...records] = parseCsv(csvText.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c.trim() !== ''));
  if (!header) return { employees: 0, departmentsCreated: 0 };
  const index = Object.fromEntries(COLUMNS.map((c) => [c, header.findIndex((h) => h.trim() === c)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const missing = COLUMNS.filter((c) => index[c] < 0 && c !== 'exit_date' && c !== 'phone');
  if (missing.length) throw new Error(`employees CSV lacks columns: ${missing.join(', ')}`);

  const get = (r: string[], c: (typeof COLUMNS)[number]): string => (index[c] >= 0 ? (r[index[c]] ?? '').trim() : '');
  const people = records.map((r, i) => {
    const line = i + 2;
    const p = {
      employeeNo: get(r, 'employee_no'),
      name: get(r, 'name'),
      department: get(r, 'department'),
      gender: get(r, 'gender'),
      birthDate: get(r, 'birth_date'),
      hireDate: get(r, 'hire_date'),
      status: get(r, 'status') || 'employed',
      exitDate: get(r, 'exit_date') || null,
      phone: get(r, 'phone') || null,
    };
    if (!p.employeeNo || !p.name || !p.department)
      throw new Error(`employees CSV line ${line}: employee_no, name and department are required`);
    if (p.gender !== 'M' && p.gender !== 'F') throw new Error(`employees CSV line ${line}: gender must be M or F`);
    if (!DATE_RE.test(p.birthDate) || !DATE_RE.test(p.hireDate) || (p.exitDate && !DATE_RE.test(p.exitDate)))
      throw new Error(`employees CSV line ${line}: dates must be YYYY-MM-DD`);
    if (!STATUSES.has(p.status)) throw new Error(`employees CSV line ${line}: unknown status ${p.status}`);
    return p;
  });

  return db.transaction(async (trx) => {
    const known = new Map(
      ((await trx('host_departments').select('id', 'name')) as Array<{ id: string; name: string }>).map((d) => [d.name, d.id]),
    );
    const created = [...new Set(people.map((p) => p.department))]
      .filter((name) => !known.has(name))
      .map((name) => ({ id: departmentId(name), name, parent_id: null }));
    if (created.length) await trx('host_departments').insert(created);
    for (const d of created) known.set(d.name, d.id);

    const updatedAt = sqlDateTime(now);
    const rows = people.map((p) => ({
      id: p.employeeNo,
      employee_no: p.employeeNo,
      name: p.name,
      department_id: known.get(p.department) as string,
      gender: p.gender,
      birth_date: p.birthDate,
      hire_date: p.hireDate,
      exit_date: p.exitDate,
      exit_reason: p.status === 'retired' ? 'retired' : null,
      status: p.status,
      position: null,
      shift_worker: false,
      expatriate: false,
      phone: p.phone,
      email: null,
      id_number: null,
      updated_at: updatedAt,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      // Loading the same file twice refreshes the people instead of failing on the unique employee number.
      await trx('host_employees')
        .insert(rows.slice(i, i + 500))
        .onConflict('employee_no')
        .merge(['name', 'department_id', 'gender', 'birth_date', 'hire_date', 'exit_date', 'exit_reason', 'status', 'phone', 'updated_at']);
    }
    return { employees: rows.length, departmentsCreated: created.length };
  });
}

/** Stable ids for departments that arrive by name only. */
function departmentId(name: string): string {
  return `D-${createHash('sha1').update(name).digest('hex').slice(0, 10)}`;
}

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
