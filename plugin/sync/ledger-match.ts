/**
 * Matching ledger rows to the host's employees and classing each row, as a pure function of the rows,
 * an index of the master data and the memberships that already exist. The dry run and the commit
 * both call classify(), so what staff saw is what is applied (re-checked inside the commit).
 */
import type { Department, EmployeeBrief } from '../host';

/** What matching needs of a person: the index holds only this, not the host's whole record (memory at 100k). */
export type Person = EmployeeBrief;

/**
 * One copy of each recurring value: statuses, departments and dates repeat across 100,000 people, and
 * the index of everyone then takes a fraction of the memory. One per index, dropped with it.
 */
export function interner(): <T extends string | null | undefined>(s: T) => T {
  const seen = new Map<string, string>();
  return (s) => {
    if (typeof s !== 'string') return s;
    const had = seen.get(s);
    if (had !== undefined) return had as typeof s;
    seen.set(s, s);
    return s;
  };
}

export function personOf(e: EmployeeBrief, once = interner()): Person {
  return {
    id: e.id,
    employeeNo: e.employeeNo,
    name: e.name,
    departmentId: once(e.departmentId),
    status: once(e.status),
    hireDate: once(e.hireDate),
    exitDate: once(e.exitDate),
    exitReason: once(e.exitReason),
    updatedAt: e.updatedAt,
  };
}
import { isRetirement } from '../services/employment';
import type { LedgerRow } from './ledger-parse';
import { normaliseDepartment, normaliseEmployeeNo, normaliseName } from './ledger-values';

export type RowClass = 'matched' | 'exited' | 'already' | 'duplicate' | 'conflict' | 'unmatched' | 'invalid';
export const ROW_CLASSES: RowClass[] = ['matched', 'exited', 'already', 'duplicate', 'conflict', 'unmatched', 'invalid'];
/** Rows the commit turns into memberships. */
export const IMPORTABLE: ReadonlySet<RowClass> = new Set(['matched', 'exited']);
/** Rows that come back in the rejects file. */
export const REJECTED: ReadonlySet<RowClass> = new Set(['duplicate', 'conflict', 'unmatched', 'invalid']);

export type ReasonCode =
  | 'required'
  | 'bad_date'
  | 'too_long'
  | 'no_identity'
  | 'future_date'
  | 'joined_after_exit'
  | 'not_found'
  | 'ambiguous'
  | 'name_mismatch'
  | 'no_department'
  | 'duplicate_of'
  | 'number_in_file'
  | 'number_taken'
  | 'has_other_number'
  | 'already_imported'
  | 'left'
  | 'retired'
  | 'by_name'
  | 'not_found_no'
  | 'unknown_no_by_name'
  | 'unknown_no_no_department'
  | 'joined_before_hire';

/** Why a row was classed as it was; the pages and the rejects file put it into words. */
export interface Reason {
  code: ReasonCode;
  column?: string;
  value?: string;
  /** The earlier row (序号, else line) a duplicate or a number clash refers to. */
  row?: string;
}

export interface MatchedPerson {
  id: string;
  employeeNo: string;
  name: string;
  departmentId: string;
  exitDate: string | null;
  retired: boolean;
}

export interface ClassifiedRow extends LedgerRow {
  class: RowClass;
  reason: Reason | null;
  employee: MatchedPerson | null;
}

export type Counts = Record<RowClass, number>;

export function emptyCounts(): Counts {
  return { matched: 0, exited: 0, already: 0, duplicate: 0, conflict: 0, unmatched: 0, invalid: 0 };
}

export function countClasses(rows: Array<{ class: RowClass }>): Counts {
  const c = emptyCounts();
  for (const r of rows) c[r.class]++;
  return c;
}

export interface PeopleIndex {
  byId: Map<string, Person>;
  byNo: Map<string, Person[]>;
  byNameDept: Map<string, Person[]>;
  deptIdsByName: Map<string, string[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Keys are normalised the same way as ledger values, so ＥＭ０００５ finds EM0005 and 刘 红梅 finds 刘红梅. */
export function indexPeople(employees: Person[], departments: Department[]): PeopleIndex {
  const byId = new Map<string, Person>();
  const byNo = new Map<string, Person[]>();
  const byNameDept = new Map<string, Person[]>();
  const deptIdsByName = new Map<string, string[]>();
  for (const d of departments) push(deptIdsByName, normaliseDepartment(d.name), d.id);
  for (const e of employees) {
    byId.set(e.id, e);
    if (e.employeeNo) push(byNo, normaliseEmployeeNo(e.employeeNo), e);
    push(byNameDept, `${normaliseName(e.name)}\u0000${e.departmentId}`, e);
  }
  return { byId, byNo, byNameDept, deptIdsByName };
}

/** What the module already holds: each person's membership, and who owns each member number. */
export interface Existing {
  byEmployee: Map<string, { memberNo: string | null; status: string }>;
  ownerOfNo: Map<string, string>;
}

export interface ClassifyOptions {
  today: string;
  retirementReasons: string[];
}

export type Found = { person: Person; byName: boolean; unknownNo?: string } | { person: null; reason: Reason };

/**
 * Finds the one person a row names: by employee number (refused when the name disagrees), else by name
 * within the department as written. Exported for the other imports that name people the same way
 * (the welfare payments from finance).
 */
export function findPerson(
  row: Pick<LedgerRow, 'employeeNo' | 'name' | 'department'>,
  ix: PeopleIndex,
  columns: { name: string; department: string; employeeNo: string },
): Found {
  if (row.employeeNo) {
    const hits = ix.byNo.get(row.employeeNo) ?? [];
    if (hits.length > 1) return { person: null, reason: { code: 'ambiguous', column: columns.employeeNo, value: row.employeeNo } };
    if (hits.length === 1) {
      const p = hits[0];
      // A number that belongs to someone of another name is a typo, not a match: never attach a membership to the wrong person.
      if (row.name && normaliseName(p.name) !== row.name)
        return { person: null, reason: { code: 'name_mismatch', column: columns.employeeNo, value: row.employeeNo } };
      return { person: p, byName: false };
    }
  }
  if (!row.name) return { person: null, reason: { code: 'not_found', column: columns.employeeNo, value: row.employeeNo } };
  // A 工号 that was given but is not in HR data is worded as such, never as "no 工号".
  const unknownNo = row.employeeNo || undefined;
  if (!row.department)
    return unknownNo
      ? { person: null, reason: { code: 'unknown_no_no_department', column: columns.department, value: unknownNo } }
      : { person: null, reason: { code: 'no_department', column: columns.department } };
  const hits = (ix.deptIdsByName.get(row.department) ?? []).flatMap((d) => ix.byNameDept.get(`${row.name}\u0000${d}`) ?? []);
  if (hits.length > 1) return { person: null, reason: { code: 'ambiguous', column: columns.name, value: row.name } };
  if (!hits.length)
    return {
      person: null,
      reason: unknownNo
        ? { code: 'not_found_no', column: columns.employeeNo, value: unknownNo }
        : { code: 'not_found', column: columns.name, value: row.name },
    };
  return { person: hits[0], byName: true, unknownNo };
}

/** Retirement keeps a membership (保留会籍) where any other exit ends it, as the membership rules say. */
function retiredOf(person: Person, opts: ClassifyOptions): boolean {
  return person.status === 'retired' || isRetirement(person.exitReason, false, opts.retirementReasons);
}

const DEFAULT_COLUMNS = { name: '姓名', department: '部门', employeeNo: '工号', joinedAt: '入会日期' };

/** Everyone some valid row matches: the commit locks their memberships before classing the rows again. */
export function candidates(rows: LedgerRow[], ix: PeopleIndex): string[] {
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.problems.length) continue;
    const found = findPerson(r, ix, DEFAULT_COLUMNS);
    if (found.person) ids.add(found.person.id);
  }
  return [...ids];
}

const rowRef = (r: LedgerRow) => r.seq ?? String(r.line);

/**
 * Classes rows in file order, a chunk at a time: an earlier row wins over a later one for the same
 * person, and a member number belongs to whoever holds it first (an existing membership, else the
 * earlier row). Between chunks it keeps only who was taken and which numbers were given, with the
 * winning row's reference, so a 50,000-row ledger is classed without holding every row at once.
 * `existing` need only cover the chunk's own people and numbers.
 */
export function classifier(
  ix: PeopleIndex,
  opts: ClassifyOptions,
  columns: Partial<Record<'name' | 'department' | 'employeeNo' | 'joinedAt', string>> = {},
): (rows: LedgerRow[], existing: Existing) => ClassifiedRow[] {
  const cols = { ...DEFAULT_COLUMNS, ...columns };
  const taken = new Map<string, string>(); // employee id -> the reference of the row that won them
  const numbers = new Map<string, { employeeId: string; ref: string }>(); // member no -> earlier accepted row
  return (rows, existing) =>
    rows.map((row): ClassifiedRow => {
      // Every field by name, not a spread of the row: V8 gives a spread copy a property store five times
      // the size, and a big ledger's dry run makes one of these per row.
      const out = (cls: RowClass, reason: Reason | null, person: Person | null = null): ClassifiedRow => ({
        line: row.line,
        seq: row.seq,
        name: row.name,
        employeeNo: row.employeeNo,
        department: row.department,
        memberNo: row.memberNo,
        joinedAt: row.joinedAt,
        problems: row.problems,
        raw: row.raw,
        class: cls,
        reason,
        employee: person && {
          id: person.id,
          employeeNo: person.employeeNo,
          name: person.name,
          departmentId: person.departmentId,
          exitDate: person.exitDate,
          retired: retiredOf(person, opts),
        },
      });
      if (row.problems.length) {
        const p = row.problems[0];
        return out('invalid', { code: p.code, column: p.column, value: p.value });
      }
      if (row.joinedAt && row.joinedAt > opts.today)
        return out('invalid', { code: 'future_date', column: cols.joinedAt, value: row.joinedAt });

      const found = findPerson(row, ix, cols);
      if (!found.person) return out('unmatched', found.reason);
      const person = found.person;

      const winner = taken.get(person.id);
      if (winner !== undefined) return out('duplicate', { code: 'duplicate_of', row: winner }, person);

      const mine = existing.byEmployee.get(person.id);
      if (row.memberNo) {
        const owner = existing.ownerOfNo.get(row.memberNo);
        if (owner && owner !== person.id) return out('conflict', { code: 'number_taken', value: row.memberNo }, person);
        const earlier = numbers.get(row.memberNo);
        if (earlier && earlier.employeeId !== person.id)
          return out('conflict', { code: 'number_in_file', value: row.memberNo, row: earlier.ref }, person);
      }
      let cls: RowClass;
      let reason: Reason | null = null;
      if (mine?.memberNo && (!row.memberNo || mine.memberNo === row.memberNo)) {
        cls = 'already';
        reason = { code: 'already_imported', value: mine.memberNo };
      } else if (mine?.memberNo) {
        return out('conflict', { code: 'has_other_number', value: mine.memberNo }, person);
      } else {
        const left = person.status !== 'employed' || (!!person.exitDate && person.exitDate <= opts.today);
        if (left && person.exitDate && row.joinedAt! > person.exitDate)
          return out('invalid', { code: 'joined_after_exit', column: cols.joinedAt, value: person.exitDate }, person);
        cls = left ? 'exited' : 'matched';
        // The one reason shown: what staff must check first, then what explains the class.
        if (found.unknownNo) reason = { code: 'unknown_no_by_name', column: cols.employeeNo, value: found.unknownNo };
        else if (person.hireDate && row.joinedAt! < person.hireDate)
          reason = { code: 'joined_before_hire', column: cols.joinedAt, value: person.hireDate };
        else if (left) reason = { code: retiredOf(person, opts) ? 'retired' : 'left', value: person.exitDate ?? '' };
        else if (found.byName) reason = { code: 'by_name' };
      }
      taken.set(person.id, rowRef(row));
      if (row.memberNo) numbers.set(row.memberNo, { employeeId: person.id, ref: rowRef(row) });
      return out(cls, reason, person);
    });
}

/** Classes every row at once (see classifier). */
export function classify(
  rows: LedgerRow[],
  ix: PeopleIndex,
  existing: Existing,
  opts: ClassifyOptions,
  columns: Partial<Record<'name' | 'department' | 'employeeNo' | 'joinedAt', string>> = {},
): ClassifiedRow[] {
  return classifier(ix, opts, columns)(rows, existing);
}

/**
 * Who a ledger could name: the normalised employee numbers of its rows, and their names with the
 * department as written. The index of the master data keeps only people who carry one of them, which
 * finds exactly the same people (findPerson looks no one up by anything else).
 */
export interface LedgerKeys {
  nos: Set<string>;
  namesInDepartments: Set<string>;
}

export function ledgerKeys(
  rows: Iterable<Pick<LedgerRow, 'employeeNo' | 'name' | 'department'>>,
  keys: LedgerKeys = { nos: new Set(), namesInDepartments: new Set() },
): LedgerKeys {
  for (const r of rows) {
    if (r.employeeNo) keys.nos.add(r.employeeNo);
    if (r.name && r.department) keys.namesInDepartments.add(`${r.name}\u0000${r.department}`);
  }
  return keys;
}

/** Whether the ledger could name this person; `departmentName` gives a department id's normalised name. */
export function named(
  e: Pick<Person, 'employeeNo' | 'name' | 'departmentId'>,
  keys: LedgerKeys,
  departmentName: Map<string, string>,
): boolean {
  if (e.employeeNo && keys.nos.has(normaliseEmployeeNo(e.employeeNo))) return true;
  const dept = departmentName.get(e.departmentId);
  return dept !== undefined && keys.namesInDepartments.has(`${normaliseName(e.name)}\u0000${dept}`);
}
