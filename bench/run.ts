/**
 * npm run bench: builds (or reuses) the synthetic company on MySQL, runs each scenario in its own
 * process, prints the table, writes bench/results.json and the README's benchmark section.
 * Env: BENCH_DATABASE_URL, BENCH_EMPLOYEES (100000), BENCH_ONLY (comma-separated scenario names).
 * Never part of npm test; nothing here asserts a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureGenerated } from './generate';
import { DATABASE_URL, forkChild, EMPLOYEES, ensureDatabase, machine, openDb, round } from './lib';
import { consoleTable, gitCommit, markdownTable, updateReadme, writeResults } from './report';
import type { Row, ScenarioResult } from './scenarios/types';

const SCENARIO_TIME_LIMIT_MS = 8 * 60_000;

interface Outcome {
  name: string;
  ms: number;
  loadBefore: number[];
  result?: ScenarioResult;
  error?: string;
  skipped?: string;
}

async function runScenario(name: string): Promise<{ result?: ScenarioResult; error?: string }> {
  const r = await forkChild<ScenarioResult>(name, 'run', SCENARIO_TIME_LIMIT_MS);
  return { result: r.value, error: r.error };
}

/** The ledger import scenario runs only when the module has the import (plugin/sync/ledger-import.ts). */
function ledgerImportAvailable(): string | null {
  const file = path.join(__dirname, '..', 'plugin', 'sync', 'ledger-import.ts');
  if (!fs.existsSync(file)) return 'plugin/sync/ledger-import.ts does not exist';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as Record<string, unknown>;
  const missing = ['parseLedger', 'dryRun', 'commitImport'].filter((f) => typeof mod[f] !== 'function');
  return missing.length ? `plugin/sync/ledger-import.ts does not export ${missing.join(', ')}` : null;
}

async function main(): Promise<void> {
  const started = Date.now();
  const log = (s: string) => console.log(`[bench] ${s}`);
  log(`database ${DATABASE_URL.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}, ${EMPLOYEES.toLocaleString('en')} employees`);
  await ensureDatabase();
  const db = openDb();
  let generation;
  try {
    generation = await ensureGenerated(db, EMPLOYEES, log);
  } finally {
    await db.destroy();
  }
  log(generation.reused ? 'reusing the generated company' : `generated the company in ${round((generation.ms ?? 0) / 1000)} s`);
  const server = await serverSettings();
  log(`database server ${server.version}, InnoDB buffer pool ${server.bufferPoolMb} MB`);

  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const all = [
    'reconcile',
    'events',
    'stats',
    'members',
    'ledger-import',
    'congress-ballots',
    'grievance-stats',
    'activities',
    'desk',
    'care',
    'two-instances',
  ];
  const outcomes: Outcome[] = [];
  for (const name of all.filter((n) => !only || only.includes(n))) {
    const loadBefore = os.loadavg().map((x) => round(x, 2));
    const skipped = name === 'ledger-import' ? ledgerImportAvailable() : null;
    if (skipped) {
      log(`${name}: left out (${skipped})`);
      outcomes.push({ name, ms: 0, loadBefore, skipped });
      continue;
    }
    log(`${name}: running (load average ${loadBefore.join(' ')})`);
    const t0 = Date.now();
    const r = await runScenario(name);
    outcomes.push({ name, ms: Date.now() - t0, loadBefore, ...r });
    if (r.error) log(`${name}: FAILED: ${r.error}`);
    for (const n of r.result?.notes ?? []) log(`${name}: ${n}`);
  }

  const rows: Row[] = outcomes.flatMap((o) =>
    o.result
      ? o.result.rows
      : [
          {
            scenario: o.name,
            measure: o.skipped ? `left out: ${o.skipped}` : `failed: ${String(o.error).split('\n')[0]}`,
            value: '-',
          } as Row,
        ],
  );
  const m = machine();
  const date = new Date().toISOString();
  const commit = gitCommit();
  console.log(`\n${consoleTable(rows)}\n`);
  const file = writeResults({
    date,
    commit,
    node: process.version,
    machine: { ...m, loadAverageAtStart: outcomes[0]?.loadBefore },
    database: DATABASE_URL.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'),
    server,
    employees: EMPLOYEES,
    generation,
    rows,
    scenarios: Object.fromEntries(
      outcomes.map((o) => [
        o.name,
        {
          ms: o.ms,
          loadAverageBefore: o.loadBefore,
          details: o.result?.details,
          notes: o.result?.notes,
          error: o.error,
          skipped: o.skipped,
        },
      ]),
    ),
    totalMs: Date.now() - started,
  });
  const loads = outcomes
    .filter((o) => !o.skipped)
    .map((o) => `${o.name} ${o.loadBefore[0]}`)
    .join(', ');
  // The README shows full runs at the reference size only; a partial or resized run still writes results.json.
  if (only || EMPLOYEES !== 100_000) {
    log(`wrote ${path.relative(process.cwd(), file)}; README left as it was (not a full run at 100,000 employees)`);
    return;
  }
  updateReadme(
    `Latest \`npm run bench\`: ${date.slice(0, 16).replace('T', ' ')} UTC; ${m.cores} cores, ${m.memoryGb} GB, ${m.cpuModel}; Node ${process.version}; commit ${commit}; ` +
      `${EMPLOYEES.toLocaleString('en')} employees on ${server.version} (InnoDB buffer pool ${server.bufferPoolMb} MB); 1-minute load average before each scenario: ${loads}. ` +
      `Full figures in \`bench/results.json\`.\n\n${markdownTable(rows)}`,
  );
  log(`wrote ${path.relative(process.cwd(), file)} and the README section; ${round((Date.now() - started) / 1000)} s in all`);
}

/** The figures depend on the database server's memory: record what it was. */
async function serverSettings(): Promise<{ version: string; bufferPoolMb: number }> {
  const db = openDb();
  try {
    const [rows] = await db.raw('select version() as v, @@innodb_buffer_pool_size as b');
    return { version: `MariaDB/MySQL ${String(rows[0].v).split('-')[0]}`, bufferPoolMb: Math.round(Number(rows[0].b) / 1048576) };
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
