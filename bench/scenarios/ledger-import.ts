/**
 * ledger import: a 50,000-row legacy ledger (xlsx written with exceljs) of the generated people, as a
 * union brings it when it starts using the module: most rows are people without a membership yet
 * (their memberships are taken away for the run and put back afterwards), with some already imported,
 * duplicated, unknown to HR, clashing on a member number, or with a broken date. Dry run, then commit.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { mulberry32 } from '../../examples/host/prng';
import { GIVEN_FEMALE } from '../../examples/host/seed-data';
import { commitImport, parseLedger, recordImport } from '../../plugin/sync/ledger-import';
import { SEED } from '../generate';
import { collectGarbage, EMPLOYEES, forkChild, mb, openDb, openHost, round, rssSampler, snapshot, timed } from '../lib';
import { below, type ScenarioResult } from './types';

// Half the company at most, so that a smaller BENCH_EMPLOYEES still has people enough for every kind of row.
const ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? Math.min(50_000, Math.floor(EMPLOYEES / 2)));
const actor = { id: 'bench:import', kind: 'user' as const };

interface Member {
  id: number;
  employee_id: string;
  member_no: string;
  joined_at: string;
  name: string;
  employee_no: string;
  department_id: string;
}

export interface LedgerFile {
  path: string;
  rows: number;
  bytes: number;
  writeMs: number;
  /** Employee and membership ids of the people whose memberships the run takes away (and puts back). */
  removedEmployees: string[];
  removedMemberships: number[];
  expected: Record<string, number>;
}

/**
 * Writes the ledger to a temporary file; run in its own process (see run) so the memory it takes to
 * build a 50,000-row workbook is not counted against the import.
 */
export async function makeLedger(): Promise<LedgerFile> {
  const db = openDb();
  const rng = mulberry32(SEED + 4);
  const deptName = new Map((await db('host_departments').select('id', 'name')).map((d: { id: string; name: string }) => [d.id, d.name]));
  const members: Member[] = await db('union_memberships as m')
    .join('host_employees as h', 'h.id', 'm.employee_id')
    .orderBy('m.employee_id')
    .select('m.id', 'm.employee_id', 'm.member_no', 'm.joined_at', 'h.name', 'h.employee_no', 'h.department_id');
  for (let i = members.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [members[i], members[j]] = [members[j], members[i]];
  }
  const share = (p: number) => Math.round(ROWS * p);
  const plan = { conflict: share(0.006), already: share(0.03), duplicate: share(0.02), unmatched: share(0.02), invalid: share(0.004) };
  const fresh = Math.min(ROWS - Object.values(plan).reduce((a, b) => a + b, 0), members.length - plan.already - plan.conflict);
  const removed = members.slice(0, fresh + plan.conflict);
  const kept = members.slice(fresh + plan.conflict);

  // The ledger, as a union keeps it: a title, the header, rows, a footer.
  const date = (m: Member) => {
    const d = String(m.joined_at).slice(0, 10);
    const r = rng.next();
    if (r < 0.7) return d;
    if (r < 0.85) return new Date(`${d}T00:00:00Z`);
    return `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  };
  const body: unknown[][] = [];
  for (const m of removed.slice(0, fresh))
    body.push([null, m.name, m.employee_no, deptName.get(m.department_id), rng.chance(0.05) ? '' : m.member_no, date(m)]);
  for (let i = 0; i < plan.conflict; i++) {
    const m = removed[fresh + i];
    body.push([null, m.name, m.employee_no, deptName.get(m.department_id), kept[i].member_no, date(m)]);
  }
  for (const m of kept.slice(0, plan.already))
    body.push([null, m.name, m.employee_no, deptName.get(m.department_id), m.member_no, date(m)]);
  for (let i = 0; i < plan.duplicate; i++) body.push([...body[rng.int(0, fresh - 1)]]);
  for (let i = 0; i < plan.unmatched + plan.invalid; i++) {
    // A surname nobody in the generated company has, so these rows match no one.
    const name = `令狐${rng.pick(GIVEN_FEMALE)}${rng.pick(GIVEN_FEMALE)}`;
    body.push([
      null,
      name,
      `EX${String(i + 1).padStart(6, '0')}`,
      deptName.get('D01'),
      '',
      i < plan.unmatched ? '2019-03-01' : '2019-13-45',
    ]);
  }
  for (let i = body.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [body[i], body[j]] = [body[j], body[i]];
  }
  body.forEach((r, i) => (r[0] = i + 1));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('会员台账');
  ws.addRow(['某制造有限公司工会会员台账']);
  ws.mergeCells('A1:G1');
  ws.addRow(['序号', '姓名', '工号', '部门', '会员编号', '入会日期', '备注']);
  for (const r of body) ws.addRow(r);
  ws.addRow([]);
  ws.addRow(['制表人：李慧敏', null, null, '审核：张志强']);
  const written = await timed(async () => Buffer.from(await wb.xlsx.writeBuffer()));
  const file = written.value;

  const path = join(tmpdir(), `union-bench-ledger-${process.pid}.xlsx`);
  writeFileSync(path, file);
  await db.destroy();
  return {
    path,
    rows: body.length,
    bytes: file.length,
    writeMs: Math.round(written.ms),
    removedEmployees: removed.map((m) => m.employee_id),
    removedMemberships: removed.map((m) => Number(m.id)),
    expected: {
      importable: fresh,
      conflict: plan.conflict,
      already: plan.already,
      duplicate: plan.duplicate,
      unmatched: plan.unmatched,
      invalid: plan.invalid,
    },
  };
}

export async function run(): Promise<ScenarioResult> {
  const made = await forkChild<LedgerFile>('ledger-import', 'makeLedger');
  if (!made.value) throw new Error(`could not write the ledger: ${made.error}`);
  const ledger = made.value;
  const file = readFileSync(ledger.path);
  unlinkSync(ledger.path);
  const db = openDb();
  const { host, plugin } = await openHost(db);
  const restore = await snapshot(db, ledger.removedEmployees, { history: true });
  try {
    // The people the ledger brings in have no membership yet, as on the day a union starts with the module.
    await db.transaction(async (trx) => {
      for (let i = 0; i < ledger.removedMemberships.length; i += 1000) {
        const ids = ledger.removedMemberships.slice(i, i + 1000);
        await trx('union_membership_history').whereIn('membership_id', ids).delete();
        await trx('union_memberships').whereIn('id', ids).delete();
      }
    });
    collectGarbage();
    const rss = rssSampler(50);
    const parsed = await timed(() => parseLedger(file, 'ledger.xlsx'));
    const dry = await timed(() => recordImport(plugin.ctx, actor, parsed.value, 'ledger.xlsx', { background: false }));
    const afterDry = rss.stop();
    collectGarbage();
    const rss2 = rssSampler(50);
    const commit = await timed(() => commitImport(plugin.ctx, actor, dry.value.id));
    const afterCommit = rss2.stop();
    const peak = Math.max(afterDry.peakMb, afterCommit.peakMb);
    const imported = Number(
      (await db('union_memberships').whereIn('employee_id', ledger.removedEmployees.slice(0, 1000)).count({ n: '*' }).first())!.n,
    );
    const counts = dry.value.counts as Record<string, number>;
    const expected = ledger.expected;
    const got = {
      importable: (counts.matched ?? 0) + (counts.exited ?? 0),
      conflict: counts.conflict,
      already: counts.already,
      duplicate: counts.duplicate,
      unmatched: counts.unmatched,
      invalid: counts.invalid,
    };
    const classesOk = JSON.stringify(expected) === JSON.stringify(got);
    const dryMs = parsed.ms + dry.ms;
    const c = commit.value as { imported?: number; expired?: number };
    return {
      rows: [
        {
          scenario: 'ledger import',
          measure: `dry run of ${ledger.rows.toLocaleString('en')} rows (read xlsx, match, store)`,
          value: Math.round(dryMs),
          unit: 'ms',
          ...below(dryMs, 15_000),
        },
        {
          scenario: 'ledger import',
          measure: `commit (${((c.imported ?? 0) + (c.expired ?? 0)).toLocaleString('en')} memberships, ${(c.expired ?? 0).toLocaleString('en')} of them ended)`,
          value: Math.round(commit.ms),
          unit: 'ms',
          ...below(commit.ms, 15_000),
        },
        { scenario: 'ledger import', measure: 'peak RSS (dry run and commit)', value: peak, unit: 'MB', ...below(peak, 500) },
        {
          scenario: 'ledger import',
          measure: 'rows classed as planned',
          value: classesOk ? 'OK' : 'MISMATCH',
          target: 'OK',
          met: classesOk,
        },
      ],
      details: {
        fileBytes: file.length,
        fileMb: mb(file.length),
        writeXlsxMs: ledger.writeMs,
        parseMs: Math.round(parsed.ms),
        recordMs: Math.round(dry.ms),
        commitMs: Math.round(commit.ms),
        rss: { dryRun: afterDry, commit: afterCommit },
        counts,
        expected,
        got,
        commitResult: commit.value,
        sampleImported: `${imported} of the first 1000 people taken out have a membership again`,
        secondsTotal: round((dryMs + commit.ms) / 1000),
      },
    };
  } finally {
    await restore();
    await host.close();
    await db.destroy();
  }
}
