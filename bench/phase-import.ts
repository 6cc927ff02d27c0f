/**
 * Diagnostic, not part of the bench: writes the bench's 50,000-row ledger, takes the memberships of its
 * people away as the bench does, and runs bench/phase-memory.ts on it once per entry of RUNS
 * (`<worktree>|<node flags>|<ENV=value ...>`, separated by `;`), putting everything back after each.
 * Alternating two worktrees compares before and after under the same load:
 *   RUNS="/work/a;/work/b;/work/a;/work/b" WAIT=0 BENCH_DATABASE_URL=... node --import tsx bench/phase-import.ts
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import { forkChild, openDb, snapshot } from './lib';
import type { LedgerFile } from './scenarios/ledger-import';

async function main() {
  const made = await forkChild<LedgerFile>('ledger-import', 'makeLedger', 30 * 60_000);
  const ledger = made.value!;
  const db = openDb();
  const restore = await snapshot(db, ledger.removedEmployees, { history: true });
  try {
    for (const run of (process.env.RUNS ?? '').split(';')) {
      const [dir, flags = '', envs = ''] = run.split('|');
      const extra = Object.fromEntries(
        envs
          .split(' ')
          .filter(Boolean)
          .map((kv) => kv.split('=')),
      );
      await db.transaction(async (trx) => {
        for (let i = 0; i < ledger.removedMemberships.length; i += 1000) {
          const ids = ledger.removedMemberships.slice(i, i + 1000);
          await trx('union_membership_history').whereIn('membership_id', ids).delete();
          await trx('union_memberships').whereIn('id', ids).delete();
        }
      });
      console.log(`=== ${dir} [${flags}] [${envs}] load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
      spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', ...flags.split(' ').filter(Boolean), 'bench/phase-memory.ts'], {
        stdio: 'inherit',
        cwd: dir,
        env: { ...process.env, IMPORT: ledger.path, COMMIT: '1', ...extra },
      });
      await restore();
    }
  } finally {
    await restore();
    unlinkSync(ledger.path);
    await db.destroy();
  }
}
main().then(() => process.exit(0));
