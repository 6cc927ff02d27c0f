/**
 * Shared pieces of the benchmark: the database, a host with the module enabled, the staff token,
 * a peak-RSS sampler, percentiles, and a snapshot/restore of what a scenario changes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import knex, { type Knex } from 'knex';
import { createHostApp, type HostApp } from '../examples/host/app';
import { createKnex } from '../examples/host/db';
import { silentLogger } from '../examples/host/logger';
import { DEV_SECRET, signToken } from '../examples/host/sso';
import type { UnionPlugin } from '../plugin';

export const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/union_bench';
export const EMPLOYEES = Math.max(100, Number(process.env.BENCH_EMPLOYEES ?? 100_000) || 100_000);
/** The bench's own webhook secret, handed to the host as UNION_WEBHOOK_SECRET (never a real one). */
export const WEBHOOK_SECRET = 'whsec_' + Buffer.from('union-bench-webhook-secret-0001').toString('base64');
export const HOST_ENV: NodeJS.ProcessEnv = { UNION_WEBHOOK_SECRET: WEBHOOK_SECRET };

/** Creates the database named in BENCH_DATABASE_URL when it is missing. */
export async function ensureDatabase(url = DATABASE_URL): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a plain database: ${name}`);
  const admin = knex({
    client: 'mysql2',
    connection: {
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
    },
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw(`create database if not exists \`${name}\` character set utf8mb4`);
  } finally {
    await admin.destroy();
  }
}

export function openDb(): Knex {
  return createKnex(DATABASE_URL);
}

/** The reference host on the bench database, with the module enabled through the plugin manager. */
export async function openHost(db: Knex): Promise<{ host: HostApp; plugin: UnionPlugin }> {
  const host = await createHostApp({ db, logger: silentLogger, env: HOST_ENV, secret: DEV_SECRET, instanceId: `bench-${process.pid}` });
  const plugin = host.plugins.instance('union') as UnionPlugin | undefined;
  if (!plugin?.isEnabled()) throw new Error('the union module is not enabled in the bench database');
  return { host, plugin };
}

/**
 * An enabled module starts a catch-up reconciliation of every employee when its process starts. A
 * scenario that measures one thing waits for it (at most two minutes), so its figures are its own.
 */
export async function afterCatchUp(db: Knex, startedAfterRun: number): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const run = await db('union_reconcile_runs').where('id', '>', startedAfterRun).orderBy('id', 'desc').first('status');
    if (run && run.status !== 'running') return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The latest reconciliation run's id: pass it to afterCatchUp after opening a host. */
export async function lastRunId(db: Knex): Promise<number> {
  return Number((await db('union_reconcile_runs').max({ m: 'id' }).first())?.m ?? 0);
}

export function staffToken(): string {
  return signToken({ sub: 'u_staff', roles: ['union_staff'] }, { secret: DEV_SECRET, expiresInSec: 3600 });
}

/** A forced GC where possible, so a scenario's memory starts from what the process really holds. */
export function collectGarbage(): void {
  try {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
  } catch {
    /* not available: figures just include some garbage */
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc; null where that is not readable. */
export function cpuMsOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** The database server's pid when it runs on this machine (diagnostics only). */
export function databasePid(): number | undefined {
  for (const f of ['/run/mysqld/mysqld.pid', '/var/run/mysqld/mysqld.pid']) {
    try {
      return Number(readFileSync(f, 'utf8').trim()) || undefined;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** CPU used by the given processes between start() and stop(), per unit of work. */
export function cpuMeter(pids: Record<string, number | undefined>) {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMsOf(pid)]));
  const self0 = process.cpuUsage();
  return {
    stop(units: number) {
      const out: Record<string, number | null> = {};
      for (const [k, pid] of Object.entries(pids)) {
        const a = before[k];
        const b = cpuMsOf(pid);
        out[`${k}CpuMsPerUnit`] = a === null || b === null ? null : round((b - a) / Math.max(1, units), 3);
      }
      const self = process.cpuUsage(self0);
      out.loadGeneratorCpuMsPerUnit = round((self.user + self.system) / 1000 / Math.max(1, units), 3);
      return out;
    },
  };
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Samples process RSS every `everyMs`; stop() gives the peak and the value at start. */
export function rssSampler(everyMs = 50) {
  const start = process.memoryUsage().rss;
  let peak = start;
  const t = setInterval(() => {
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
  }, everyMs);
  return {
    stop() {
      clearInterval(t);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { startMb: mb(start), peakMb: mb(peak), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = process.hrtime.bigint();
  const value = await work();
  return { value, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    platform: `${os.platform()} ${os.release()}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The generated company is kept between runs. A scenario that writes takes a snapshot of the rows
// it is about to touch and puts them back afterwards; the marker says whether that completed.

const MARKER = 'bench_generated';

export interface Marker {
  version: number;
  employees: number;
  seed: number;
  clean: boolean;
  generatedAt: string;
  checksum?: string;
}

export async function readMarker(db: Knex): Promise<Marker | null> {
  if (!(await db.schema.hasTable('union_settings'))) return null;
  const row = await db('union_settings').where({ key: MARKER }).first('value');
  return row ? (JSON.parse(row.value) as Marker) : null;
}

export async function writeMarker(db: Knex, m: Marker): Promise<void> {
  const row = {
    key: MARKER,
    value: JSON.stringify(m),
    updated_by: 'bench',
    updated_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
  };
  await db('union_settings').insert(row).onConflict('key').merge(['value', 'updated_by', 'updated_at']);
}

export async function setClean(db: Knex, clean: boolean): Promise<void> {
  const m = await readMarker(db);
  if (m) await writeMarker(db, { ...m, clean });
}

/** Content checksum of the tables a scenario may change and must put back. */
export async function stateChecksum(db: Knex): Promise<string> {
  const [rows] = await db.raw(
    'checksum table host_employees, union_employees, union_memberships, union_member_no_sequences, union_invitations',
  );
  const counts = await db.raw(
    'select (select count(*) from union_membership_history) h, (select count(*) from union_events) ev, (select count(*) from host_notifications) n',
  );
  const c = counts[0][0];
  return [...(rows as Array<{ Checksum: number | string }>).map((r) => String(r.Checksum)), c.h, c.ev, c.n].join(':');
}

const APPEND_ONLY = [
  'union_membership_history',
  'union_audit',
  'union_reconcile_changes',
  'union_reconcile_runs',
  'host_notifications',
  'union_invitations',
  'union_memberships',
] as const;
/** Tables of the ledger import, when the module has it: whatever an import adds is removed again. */
const IMPORT_TABLES = ['union_import_rows', 'union_imports'] as const;

/**
 * Remembers the rows of the given people (host record, facts, membership, and with `history` the
 * membership's history) and the high-water marks of the append-only tables; restore() brings all of
 * it back, deleting what was added meanwhile. Marks the generated data unclean until restored.
 */
export async function snapshot(db: Knex, employeeIds: string[], opts: { history?: boolean } = {}) {
  const ids = [...new Set(employeeIds)];
  const inChunks = async (table: string, col: string, keys: Array<string | number> = ids) => {
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += 1000)
      out.push(
        ...(await db(table)
          .whereIn(col, keys.slice(i, i + 1000))
          .select()),
      );
    return out;
  };
  const hostRows = await inChunks('host_employees', 'id');
  const facts = await inChunks('union_employees', 'employee_id');
  const memberships = await inChunks('union_memberships', 'employee_id');
  const membershipIds = memberships.map((m) => Number(m.id));
  const history = opts.history ? await inChunks('union_membership_history', 'membership_id', membershipIds) : [];
  const sequences = await db('union_member_no_sequences').select();
  const marks: Record<string, number> = {};
  for (const t of APPEND_ONLY) marks[t] = Number((await db(t).max({ m: 'id' }).first())?.m ?? 0);
  const importTables: string[] = [];
  for (const t of IMPORT_TABLES) {
    if (await db.schema.hasTable(t)) {
      importTables.push(t);
      marks[t] = Number((await db(t).max({ m: 'id' }).first())?.m ?? 0);
    }
  }
  await setClean(db, false);

  return async function restore(): Promise<void> {
    await db.transaction(async (trx) => {
      for (const t of importTables) await trx(t).where('id', '>', marks[t]).delete();
      await trx('union_membership_history').where('id', '>', marks.union_membership_history).delete();
      if (opts.history) {
        for (let i = 0; i < membershipIds.length; i += 1000)
          await trx('union_membership_history')
            .whereIn('membership_id', membershipIds.slice(i, i + 1000))
            .delete();
      }
      await trx('union_reconcile_changes').where('id', '>', marks.union_reconcile_changes).delete();
      await trx('union_reconcile_runs').where('id', '>', marks.union_reconcile_runs).delete();
      await trx('union_audit').where('id', '>', marks.union_audit).delete();
      await trx('host_notifications').where('id', '>', marks.host_notifications).delete();
      await trx('union_invitations').where('id', '>', marks.union_invitations).delete();
      await trx('union_events').delete();
      await trx('union_job_leases').delete();
      await trx('union_memberships').where('id', '>', marks.union_memberships).delete();
      for (let i = 0; i < ids.length; i += 1000) {
        const part = ids.slice(i, i + 1000);
        await trx('union_employees').whereIn('employee_id', part).delete();
        await trx('host_employees').whereIn('id', part).delete();
      }
      for (let i = 0; i < hostRows.length; i += 500) await trx('host_employees').insert(hostRows.slice(i, i + 500));
      for (let i = 0; i < facts.length; i += 500) await trx('union_employees').insert(facts.slice(i, i + 500));
      // Existing memberships go back as they were (or come back, if removed): one multi-row upsert per chunk.
      for (let i = 0; i < memberships.length; i += 500) {
        await trx('union_memberships')
          .insert(memberships.slice(i, i + 500))
          .onConflict('id')
          .merge();
      }
      for (let i = 0; i < history.length; i += 1000) await trx('union_membership_history').insert(history.slice(i, i + 1000));
      await trx('union_member_no_sequences').delete();
      if (sequences.length) await trx('union_member_no_sequences').insert(sequences);
    });
    await setClean(db, true);
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes: scenarios and the HTTP server run apart from the orchestrator.

export const CHILD_EXEC_ARGV = ['--import', 'tsx', '--expose-gc'];

/**
 * Runs `fn` (default run) of bench/scenarios/<name>.ts in a child process and resolves with what it
 * returns; a child that has not answered within `timeoutMs` is killed.
 */
export function forkChild<T>(
  name: string,
  fn = 'run',
  timeoutMs = 8 * 60_000,
  extraExecArgv: string[] = [],
): Promise<{ value?: T; error?: string }> {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'child.ts'), [name, fn], {
      execArgv: [...CHILD_EXEC_ARGV, ...extraExecArgv],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let settled = false;
    const done = (v: { value?: T; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ error: `stopped after ${timeoutMs / 1000} s` });
    }, timeoutMs);
    child.on('message', (m: { ok: boolean; result?: T; error?: string }) => done(m.ok ? { value: m.result } : { error: m.error }));
    child.on('exit', (code) => done({ error: `exited with ${code} before reporting` }));
  });
}

export interface SignUpBatches {
  batches: number;
  signUps: number;
  largestBatch: number;
  failedBatches: number;
}

export interface BenchServer {
  url: string;
  pid: number;
  /** Starts a job's scheduled firing on this instance and says whether it ran here. */
  runJob(job: string, slot: string): Promise<{ job: string; ran?: boolean; error?: string }>;
  /** How the server's activity sign-ups have batched so far. */
  signUpBatches(): Promise<SignUpBatches>;
  /** Stops the server; resolves with how its webhook queue batched (undefined if it had to be killed). */
  stop(): Promise<
    | { batches: number; deliveries: number; largestBatch: number; statements: number; writeMs: number; relayMs: number; relays: number }
    | undefined
  >;
}

/** Starts bench/server.ts and resolves with its base URL, a job trigger and a stop(). */
export async function startServer(): Promise<BenchServer> {
  const child: ChildProcess = fork(path.join(__dirname, 'server.ts'), [], {
    execArgv: [
      ...CHILD_EXEC_ARGV,
      ...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : []),
    ],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench server did not start within 60 s')), 60_000);
    child.once('message', (m: { port: number }) => (clearTimeout(timer), resolve(m.port)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the bench server exited with ${code}`))));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    runJob: (job, slot) =>
      new Promise((resolve) => {
        const answer = (m: { job?: string }) => {
          if (m?.job !== job) return;
          child.off('message', answer);
          resolve(m as { job: string; ran?: boolean; error?: string });
        };
        child.on('message', answer);
        child.send({ job, slot });
      }),
    signUpBatches: () =>
      new Promise((resolve) => {
        const answer = (m: { signUps?: SignUpBatches }) => {
          if (!m?.signUps) return;
          child.off('message', answer);
          resolve(m.signUps);
        };
        child.on('message', answer);
        child.send('signUps');
      }),
    stop: () =>
      new Promise((resolve) => {
        let queue:
          | {
              batches: number;
              deliveries: number;
              largestBatch: number;
              statements: number;
              writeMs: number;
              relayMs: number;
              relays: number;
            }
          | undefined;
        child.on('message', (m: { queue?: typeof queue }) => (queue = m?.queue ?? queue));
        const timer = setTimeout(() => (child.kill('SIGKILL'), resolve(undefined)), 15_000);
        child.once('exit', () => (clearTimeout(timer), resolve(queue)));
        child.send('stop');
      }),
  };
}
