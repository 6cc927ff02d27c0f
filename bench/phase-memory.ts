/**
 * Diagnostic, not part of the bench: where a host's RSS goes, phase by phase (one JSON line per sample:
 * RSS, V8 heap and its spaces, external memory, anonymous and file-backed RSS). Opens the reference host
 * on BENCH_DATABASE_URL, samples through its catch-up sync and after it; with IMPORT=<xlsx> it then reads
 * and dry-runs that ledger as startImport does (COMMIT=1: and commits it). MODS=1 lists the packages
 * loaded at rest, SNAP=<file> writes a heap snapshot there, WAIT=0 starts the import right after the
 * catch-up as the bench does. Run it through bench/phase-import.ts, which prepares a ledger.
 */
import v8 from 'node:v8';
import { readFileSync } from 'node:fs';

const t0 = Date.now();
function smaps() {
  try {
    const s = readFileSync('/proc/self/status', 'utf8');
    const g = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024;
    return { anon: Math.round(g('RssAnon')), file: Math.round(g('RssFile')), shmem: Math.round(g('RssShmem')) };
  } catch {
    return {};
  }
}
export function phase(name: string) {
  const m = process.memoryUsage();
  const h = v8.getHeapStatistics();
  const f = (b: number) => Math.round(b / 1048576);
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), `${f(s.space_used_size)}/${f(s.physical_space_size)}`]),
  );
  console.log(
    JSON.stringify({
      t: Date.now() - t0,
      phase: name,
      rss: f(m.rss),
      heapTotal: f(m.heapTotal),
      heapUsed: f(m.heapUsed),
      external: f(m.external),
      arrayBuffers: f(m.arrayBuffers),
      malloced: f(h.malloced_memory),
      peakMalloced: f(h.peak_malloced_memory),
      ...smaps(),
      spaces,
    }),
  );
}
const gc = (globalThis as { gc?: () => void }).gc!;

async function main() {
  phase('start');
  const lib = await import('./lib');
  phase('imported lib');
  const db = lib.openDb();
  const runs = await lib.lastRunId(db);
  const { host, plugin } = await lib.openHost(db);
  phase('host open');
  const iv = setInterval(() => phase('catch-up'), Number(process.env.EVERY ?? 1000));
  await lib.afterCatchUp(db, runs);
  clearInterval(iv);
  phase('after catch-up');
  gc();
  phase('after gc');
  if (process.env.WAIT !== '0') {
    await new Promise((r) => setTimeout(r, 3000));
    gc();
    phase('after 3 s + gc');
  }
  if (process.env.MODS) {
    const byPkg = new Map<string, number>();
    for (const k of Object.keys(require.cache)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(k);
      const pkg = m ? m[1] : k.includes('/plugin/') ? 'plugin' : k.includes('/examples/') ? 'examples' : k.split('/').slice(-2).join('/');
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + 1);
    }
    console.log(
      [...byPkg]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k}:${v}`)
        .join(' '),
    );
  }
  if (process.env.SNAP) v8.writeHeapSnapshot(process.env.SNAP);
  if (process.env.IMPORT) {
    const { readPackedLedger, recordImport, commitImport } = await import('../plugin/sync/ledger-import');
    const actor = { id: 'bench:import', kind: 'user' as const };
    const file = readFileSync(process.env.IMPORT);
    const iv2 = setInterval(() => phase('import'), 200);
    const parsed = await readPackedLedger(file, 'ledger.xlsx');
    phase('parsed');
    const dry = await recordImport(plugin.ctx, actor, parsed, 'ledger.xlsx', { background: false });
    phase('dry run done');
    clearInterval(iv2);
    gc();
    phase('after gc');
    if (process.env.COMMIT) {
      const iv3 = setInterval(() => phase('commit'), 500);
      await commitImport(plugin.ctx, actor, dry.id);
      clearInterval(iv3);
      phase('commit done');
    }
  }
  await host.close();
  await db.destroy();
}
main().then(() => process.exit(0));
