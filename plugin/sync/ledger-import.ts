/**
 * 手工台账导入: a union's hand-kept ledger comes in as an upload, is read (ledger-parse), matched to the
 * host's employees and classed row by row (ledger-match) in a dry run that staff review, and on commit
 * becomes memberships through the one mechanism that changes them (applyPlans), in one transaction.
 * Big files run in the background; their state and progress live in union_imports (services/imports).
 */
import type { Actor, Ctx } from '../context';
import type { EmployeeBrief } from '../host';
import { Conflict } from '../errors';
import { chunks, inTransaction, isMysql, isUniqueViolation, type Db } from '../lib/db';
import type { Fact, MembershipRow, Transition } from '../services/decide';
import { factColumns, factFromEmployee } from '../services/employment';
import * as imports from '../services/imports';
import { installedOn } from '../services/install-info';
import { advancePastImported, compilePattern } from '../services/member-numbers';
import { applyPlans, loadForUpdate, type Plan } from '../services/memberships';
import { orgsForDepartments } from '../services/orgs';
import { readLedger, type LedgerFileInfo, type LedgerRow, type ParsedLedger } from './ledger-parse';
import { PackedRows } from './ledger-rows';
import { normaliseDepartment, normaliseMemberNo } from './ledger-values';
import {
  candidates,
  classifier,
  emptyCounts,
  indexPeople,
  interner,
  IMPORTABLE,
  ledgerKeys,
  named,
  personOf,
  REJECTED,
  type Person,
  type ClassifiedRow,
  type Counts,
  type Existing,
  type LedgerKeys,
  type PeopleIndex,
} from './ledger-match';

export { parseLedger, LedgerFileError, type LedgerRow, type ParsedLedger } from './ledger-parse';
export type { ClassifiedRow, Counts, RowClass } from './ledger-match';

/** Files with more rows than this run in the background, with a progress bar. */
export const BACKGROUND_ROWS = 2000;
/**
 * The master data is read this many people at a time. A page is held while the next is awaited, and at
 * 5,000 most of each page (the host's records, the driver's rows) outlived the young generation: the
 * people index took old space from ~67 to ~114 MB in a second, the dry run's peak; at 1,000, to ~92 MB.
 */
const EMPLOYEE_PAGE = 1000;
const PLAN_CHUNK = 200;
/**
 * Rows are classed, stored and committed this many at a time: what is held between chunks is only who
 * was taken and which numbers were given. Small chunks are done with before V8's young-generation
 * collections promote them: at 2,000 rows (and 1,000 plans) each chunk's objects outlived two
 * scavenges, and the promoted garbage took a 50,000-row commit from 280 to 400 MB RSS.
 */
export const ROW_CHUNK = 500;

export interface DryRunResult {
  rows: ClassifiedRow[];
  counts: Counts;
}

/**
 * The master data in pages, plus departments: a handful of queries, however long the ledger. With the
 * ledger's keys, only the people a row could name are kept (the same matches, a fraction of the memory).
 * A host with listBrief sends only the fields matching needs; whole records of 100,000 people were the
 * largest garbage of a big import.
 */
export async function loadPeople(ctx: Ctx, keys?: LedgerKeys): Promise<PeopleIndex> {
  const directory = ctx.host.employees;
  const departments = await directory.departments();
  const departmentName = new Map(departments.map((d) => [d.id, normaliseDepartment(d.name)]));
  const employees: Person[] = [];
  const once = interner();
  let cursor: string | null = null;
  do {
    const opts = { cursor, limit: EMPLOYEE_PAGE };
    const page: { items: EmployeeBrief[]; nextCursor: string | null } = directory.listBrief
      ? await directory.listBrief(opts)
      : await directory.list(opts);
    for (const e of page.items) if (!keys || named(e, keys, departmentName)) employees.push(personOf(e, once));
    cursor = page.nextCursor;
  } while (cursor);
  return indexPeople(employees, departments);
}

async function numberOwners(db: Db, memberNos: string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const batch of chunks([...new Set(memberNos.filter(Boolean))], 1000)) {
    for (const r of await db('union_memberships').whereIn('member_no', batch).select('employee_id', 'member_no'))
      owners.set(normaliseMemberNo(r.member_no), r.employee_id);
  }
  return owners;
}

function existingFrom(memberships: Map<string, Pick<MembershipRow, 'member_no' | 'status'>>, owners: Map<string, string>): Existing {
  const byEmployee: Existing['byEmployee'] = new Map();
  for (const [id, m] of memberships)
    byEmployee.set(id, { memberNo: m.member_no ? normaliseMemberNo(m.member_no) : null, status: m.status });
  return { byEmployee, ownerOfNo: owners };
}

const classifyOptions = (ctx: Ctx) => ({ today: ctx.today(), retirementReasons: ctx.settings.retirementReasons });

/** What the memberships are now for the given rows' people and numbers: all classing needs of them. */
async function existingFor(db: Db, rows: LedgerRow[], people: PeopleIndex): Promise<Existing> {
  const memberships = new Map<string, Pick<MembershipRow, 'member_no' | 'status'>>();
  for (const ids of chunks(candidates(rows, people), 1000)) {
    for (const r of await db('union_memberships').whereIn('employee_id', ids).select('employee_id', 'member_no', 'status'))
      memberships.set(r.employee_id, r);
  }
  return existingFrom(
    memberships,
    await numberOwners(
      db,
      rows.map((r) => r.memberNo),
    ),
  );
}

/**
 * Classes rows against the master data and the memberships as they are now, a chunk at a time, handing
 * each chunk to `each` and keeping none. Writes nothing itself; returns the counts.
 */
async function classifyInChunks(
  ctx: Ctx,
  rows: { takeKeys(): LedgerKeys; chunks(): Iterable<LedgerRow[]> },
  columns: ParsedLedger['columns'],
  each: (chunk: ClassifiedRow[]) => Promise<void>,
): Promise<Counts> {
  const people = await loadPeople(ctx, rows.takeKeys());
  const classOf = classifier(people, classifyOptions(ctx), columns);
  const counts = emptyCounts();
  for (const chunk of rows.chunks()) {
    const classified = classOf(chunk, await existingFor(ctx.db, chunk, people));
    for (const r of classified) counts[r.class]++;
    await each(classified);
  }
  return counts;
}

/** Classes parsed rows against the master data and the memberships as they are now. Writes nothing. */
export async function dryRun(ctx: Ctx, rows: LedgerRow[], columns: ParsedLedger['columns'] = {}): Promise<DryRunResult> {
  const all: ClassifiedRow[] = [];
  const inChunks = { takeKeys: () => ledgerKeys(rows), chunks: () => chunks(rows, ROW_CHUNK) };
  const counts = await classifyInChunks(ctx, inChunks, columns, async (chunk) => void all.push(...chunk));
  return { rows: all, counts };
}

function inBackground(ctx: Ctx, importId: number, work: () => Promise<unknown>): void {
  // The run marks the import failed itself; this only keeps the rejection from going unhandled.
  setImmediate(() => void work().catch((err) => ctx.host.logger.error({ err, importId }, 'union: ledger import failed in the background')));
}

async function runDryRun(ctx: Ctx, id: number, rows: PackedRows, columns: ParsedLedger['columns']): Promise<void> {
  const release = imports.keepAlive(ctx, id);
  try {
    await imports.markRunning(ctx, id, 'dry_run');
    let saved = 0;
    const counts = await classifyInChunks(ctx, rows, columns, async (chunk) => {
      await imports.saveRows(ctx, id, chunk);
      saved += chunk.length;
      await imports.reportProgress(ctx, id, saved);
    });
    await imports.finishDryRun(ctx, id, rows.length, counts);
  } catch (err) {
    await imports.failImport(ctx, id, 'dry_run', err);
    throw err;
  } finally {
    release();
  }
}

/**
 * Reads an upload and runs its dry run: inline for an ordinary ledger, in the background for a big
 * one (the returned record is then queued; poll getImport). A broken file throws LedgerFileError.
 */
export async function startImport(
  ctx: Ctx,
  actor: Actor,
  file: { buffer: Buffer; filename: string },
  opts: { background?: boolean } = {},
): Promise<imports.ImportRecord> {
  return recordImport(ctx, actor, await readPackedLedger(file.buffer, file.filename), file.filename, opts);
}

/** A ledger read with its rows packed as they come (what startImport reads an upload into). */
export type PackedLedger = LedgerFileInfo & { rows: PackedRows };

/**
 * parseLedger with the rows packed while the file is read: 50,000 row objects made at once outlived
 * the young generation and waited in old space, with the sheet's cells, for a late full collection.
 */
export async function readPackedLedger(bytes: Buffer, filename = ''): Promise<PackedLedger> {
  const packer = PackedRows.packer(ROW_CHUNK);
  const info = await readLedger(bytes, filename, (row) => packer.add(row));
  return Object.assign(info, { rows: packer.done() });
}

/**
 * The part of startImport after reading: records a read ledger and runs its dry run. It takes the rows
 * over: a parsed ledger's `rows` are emptied once they are packed, so a big ledger is never held twice.
 */
export async function recordImport(
  ctx: Ctx,
  actor: Actor,
  parsed: ParsedLedger | PackedLedger,
  filename: string,
  opts: { background?: boolean } = {},
): Promise<imports.ImportRecord> {
  const id = await imports.createImport(ctx, actor, {
    filename: filename || `ledger.${parsed.format}`,
    format: parsed.format,
    total: parsed.rows.length,
    meta: { header: parsed.header, columns: parsed.columns, encoding: parsed.encoding, sheet: parsed.sheet, headerLine: parsed.headerLine },
  });
  // From here on the rows are held packed (see PackedRows); an array is let go, even by a caller that keeps `parsed`.
  const rows = parsed.rows instanceof PackedRows ? parsed.rows : PackedRows.pack(parsed.rows, ROW_CHUNK);
  if (Array.isArray(parsed.rows)) parsed.rows = [];
  if (opts.background ?? rows.length > BACKGROUND_ROWS) inBackground(ctx, id, () => runDryRun(ctx, id, rows, parsed.columns));
  else await runDryRun(ctx, id, rows, parsed.columns);
  return imports.getImport(ctx, id);
}

function planFor(importId: number, r: ClassifiedRow, fact: Fact | undefined, membership: MembershipRow | undefined, today: string): Plan {
  const p = r.employee!;
  const transitions: Transition[] = [{ kind: 'join', date: r.joinedAt!, consentMethod: 'import', reason: `ledger import #${importId}` }];
  if (r.class === 'exited') {
    const date = p.exitDate ?? today;
    transitions.push(p.retired ? { kind: 'retain', date, reason: 'retired' } : { kind: 'expire', date, reason: 'exited' });
  }
  return {
    employeeId: p.id,
    fact,
    membership,
    departmentId: p.departmentId,
    memberNo: r.memberNo || undefined,
    transitions,
    // The ledger has settled this employment's membership: the on-hire policy must not join them again.
    markHireApplied: !!fact && !fact.hire_applied && !!fact.hire_date && fact.hire_date <= today,
  };
}

/** People imported before the first sync get their employment facts now, so the ledger shows their department. */
async function ensureFacts(ctx: Ctx, trx: Db, rows: ClassifiedRow[], facts: Map<string, Fact>, people: PeopleIndex): Promise<void> {
  const installed = await installedOn(ctx, trx);
  const missing = rows.filter((r) => !facts.has(r.employee!.id)).map((r) => people.byId.get(r.employee!.id)!);
  const created = missing.map((e) => ({
    ...factFromEmployee(e, undefined, ctx.settings.retirementReasons, installed),
    hire_applied: true,
  }));
  for (const batch of chunks(created, 500)) {
    await trx('union_employees')
      .insert(batch.map((f) => ({ employee_id: f.employee_id, ...factColumns(f), version: 1 })))
      .onConflict('employee_id')
      .ignore();
  }
  for (const f of created) facts.set(f.employee_id, f);
}

const sameOutcome = (a: ClassifiedRow, b: ClassifiedRow) =>
  a.class === b.class && JSON.stringify(a.reason) === JSON.stringify(b.reason) && (a.employee?.id ?? null) === (b.employee?.id ?? null);

/** Also what the second pass plans from (exit date, retirement, department): a row whose person changed is stored anew. */
const samePlanFacts = (a: ClassifiedRow, b: ClassifiedRow) =>
  (a.employee?.exitDate ?? null) === (b.employee?.exitDate ?? null) &&
  (a.employee?.retired ?? false) === (b.employee?.retired ?? false) &&
  (a.employee?.departmentId ?? null) === (b.employee?.departmentId ?? null);

/** The ledger's keys, read from the stored rows a page at a time: which people the index must hold. */
async function storedKeys(db: Db, importId: number): Promise<LedgerKeys> {
  let keys: LedgerKeys | undefined;
  for await (const page of imports.rowPages(db, importId, { raw: false, size: ROW_CHUNK })) keys = ledgerKeys(page, keys);
  return keys ?? ledgerKeys([]);
}

/**
 * The commit, in one transaction (nothing half-written), never holding more than a page of rows:
 * 1. every stored row is classed again a page at a time, under lock, in file order (what changed since
 *    the dry run counts), and the rows whose outcome changed are rewritten; only the counts, the
 *    member numbers the ledger brings and the classer's taken/numbers sets stay between pages;
 * 2. the counter of member numbers is moved past the ledger's numbers, before any is issued;
 * 3. the rows now classed importable are read back a page at a time and become memberships.
 */
async function runCommit(ctx: Ctx, actor: Actor, imp: imports.ImportRecord): Promise<imports.CommitResult> {
  const release = imports.keepAlive(ctx, imp.id);
  try {
    await imports.markRunning(ctx, imp.id, 'commit');
    const people = await loadPeople(ctx, await storedKeys(ctx.db, imp.id));
    const pattern = compilePattern(ctx.settings.memberNoPattern);
    const today = ctx.today();
    // Progress goes out on another connection so other instances see it before the commit; SQLite has
    // one writer (and in tests one connection), so there it is reported at the end only.
    const progress = isMysql(ctx.db) ? (n: number) => imports.reportProgress(ctx, imp.id, n) : async () => undefined;
    return await inTransaction(ctx.db, async (trx) => {
      const classOf = classifier(people, classifyOptions(ctx), imp.meta.columns);
      const counts = emptyCounts();
      const ledgerNos: string[] = [];
      let total = 0;
      let changed = 0;
      let retained = 0;
      for await (const stored of imports.rowPages(trx, imp.id, { raw: false, size: ROW_CHUNK })) {
        // Lock first, then class again: what changed since the dry run (another import, an approval) counts.
        const { memberships } = await loadForUpdate(trx, candidates(stored, people));
        const existing = existingFrom(
          memberships,
          await numberOwners(
            trx,
            stored.map((r) => r.memberNo),
          ),
        );
        const rows = classOf(stored, existing);
        for (const r of rows) {
          counts[r.class]++;
          if (r.class === 'exited' && r.employee?.retired) retained++;
          if (r.memberNo && r.class !== 'invalid' && r.class !== 'conflict') ledgerNos.push(r.memberNo);
        }
        changed += rows.filter((r, i) => !sameOutcome(r, stored[i])).length;
        await imports.updateRows(
          trx,
          imp.id,
          rows.filter((r, i) => !sameOutcome(r, stored[i]) || !samePlanFacts(r, stored[i])),
        );
        total += rows.length;
      }

      // Before any number is issued: a row without a number then gets one past every number in the ledger.
      await advancePastImported(trx, pattern, ledgerNos);

      let processed = total - counts.matched - counts.exited;
      await progress(processed);
      for await (const batch of imports.rowPages(trx, imp.id, { raw: false, classes: [...IMPORTABLE], size: PLAN_CHUNK })) {
        const { facts, memberships } = await loadForUpdate(
          trx,
          batch.map((r) => r.employee!.id),
        );
        await ensureFacts(ctx, trx, batch, facts, people);
        const orgOf = await orgsForDepartments(
          trx,
          batch.map((r) => facts.get(r.employee!.id)?.department_id ?? r.employee!.departmentId),
        );
        // No deliver(): people who joined years ago are not sent a welcome for it.
        await applyPlans(
          ctx,
          trx,
          actor,
          'import',
          batch.map((r) => planFor(imp.id, r, facts.get(r.employee!.id), memberships.get(r.employee!.id), today)),
          orgOf,
        );
        processed += batch.length;
        await progress(processed);
      }

      const result: imports.CommitResult = {
        imported: counts.matched,
        expired: counts.exited - retained,
        retained,
        already: counts.already,
        rejected: [...REJECTED].reduce((n, c) => n + counts[c], 0),
        changedSinceDryRun: changed,
      };
      await imports.finishCommit(ctx, trx, actor, imp.id, total, counts, result);
      return result;
    });
  } catch (raw) {
    // Another import or a join took the same person or number between our reads and our insert.
    const err = isUniqueViolation(raw)
      ? new Conflict('Memberships changed while this import ran; commit again to check the rows anew').because('import_raced')
      : raw;
    await imports.failImport(ctx, imp.id, 'commit', err);
    throw err;
  } finally {
    release();
  }
}

/** Commits a dry-run import now, in this call (what the benchmark and scripts use). Nothing half-written on failure. */
export async function commitImport(ctx: Ctx, actor: Actor, importId: number): Promise<imports.CommitResult> {
  const imp = await imports.claimCommit(ctx, importId, 'running');
  return runCommit(ctx, actor, imp);
}

/** The commit button: inline for an ordinary ledger, in the background for a big one. */
export async function startCommit(
  ctx: Ctx,
  actor: Actor,
  importId: number,
  opts: { background?: boolean } = {},
): Promise<imports.ImportRecord> {
  const background = opts.background ?? (await imports.getImport(ctx, importId)).total > BACKGROUND_ROWS;
  const imp = await imports.claimCommit(ctx, importId, background ? 'queued' : 'running');
  if (background) inBackground(ctx, importId, () => runCommit(ctx, actor, imp));
  else await runCommit(ctx, actor, imp);
  return imports.getImport(ctx, importId);
}
