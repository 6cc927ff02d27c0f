/**
 * two-instances: two processes of the reference host with the module, on one database, as a deployment
 * behind a load balancer would run. Signed webhooks go to both (a resent copy often to the other one);
 * while they arrive, 同步人事数据 is clicked on both at once, then every job's daily firing starts on
 * both. Each job must run once, every event apply once, nothing may answer with an error (a deadlock
 * included), and the end state must equal the serial replay of the same events in occurrence order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { dateIn } from '../../plugin/lib/time';
import { afterCatchUp, lastRunId, openDb, snapshot, staffToken, startServer, type BenchServer } from '../lib';
import { compareWithSerialReplay, planEvents, sendAll, stateOf } from './events';
import type { ScenarioResult } from './types';

const TOTAL_SENDS = Number(process.env.BENCH_TWO_EVENTS ?? 6_000);
const SENDERS = 32;
const JOBS: string[] = (
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'manifest.json'), 'utf8')) as { jobs: Array<{ id: string }> }
).jobs.map((j) => j.id);

async function deadlocks(db: Knex): Promise<number> {
  const [rows] = await db.raw("show global status like 'Innodb_deadlocks'");
  return Number(rows[0]?.Value ?? 0);
}

async function clickSync(server: BenchServer): Promise<number> {
  const res = await fetch(new URL('/union/api/sync/runs', server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${staffToken()}`, accept: 'application/json' },
  });
  await res.arrayBuffer();
  return res.status;
}

export async function run(): Promise<ScenarioResult> {
  const db = openDb();
  const today = dateIn('Asia/Shanghai', new Date());
  const plan = await planEvents(db, today, TOTAL_SENDS);
  const before = await stateOf(db, plan.people);
  const restore = await snapshot(db, plan.people);
  const notes: string[] = [];
  try {
    const deadlocksBefore = await deadlocks(db);
    const mark = await lastRunId(db);
    const servers = await Promise.all([startServer(), startServer()]);
    const t0 = Date.now();
    let sendMs = 0;
    let clicks: number[] = [];
    let clickedAt = 0;
    const jobs: Record<string, { ran: number; errors: string[] }> = {};
    let sent;
    let batching: unknown[] = [];
    try {
      const sending = sendAll(
        servers.map((s) => s.url),
        plan.queue,
        SENDERS,
      ).then((s) => ((sendMs = Date.now() - t0), s));
      await afterCatchUp(db, mark);
      clickedAt = Date.now() - t0;
      clicks = await Promise.all(servers.map(clickSync));
      // One firing of every job, started on both instances at the same moment, as both crons would.
      const slot = `${today}T00:05`;
      const outcomes = await Promise.all(JOBS.flatMap((job) => servers.map((s) => s.runJob(job, slot))));
      for (const o of outcomes) {
        jobs[o.job] ??= { ran: 0, errors: [] };
        if (o.ran) jobs[o.job].ran++;
        if (o.error) jobs[o.job].errors.push(o.error);
      }
      sent = await sending;
    } finally {
      batching = await Promise.all(servers.map((s) => s.stop()));
    }
    const concurrent = await stateOf(db, plan.people);
    const stored: Array<{ outcome: string }> = await db('union_events').select('outcome');
    const deadlocksDuring = (await deadlocks(db)) - deadlocksBefore;
    await restore();
    const { replay, same, mismatches } = await compareWithSerialReplay(db, plan, before, concurrent);

    const errors = Object.entries(sent.statuses)
      .filter(([s]) => s !== '200')
      .reduce((t, [, c]) => t + c, 0);
    const jobsOnce = JOBS.every((j) => jobs[j]?.ran === 1 && !jobs[j].errors.length);
    const clicksOk = clicks.filter((c) => c === 201).length === 1 && clicks.filter((c) => c === 409).length === 1;
    const appliedOnce = stored.length === plan.events.length && stored.every((r) => !r.outcome.startsWith('b:'));
    const verdict = !replay.complete
      ? 'n/a (replay cut short)'
      : mismatches.length
        ? `MISMATCH ${mismatches.length}/${plan.people.length}`
        : `OK ${same}/${plan.people.length}`;
    const rate = (sent.sent / sent.ms) * 1000;
    return {
      rows: [
        {
          scenario: 'two-instances',
          measure: `${sent.sent.toLocaleString('en')} webhooks to 2 instances`,
          value: Math.round(rate),
          unit: 'events/s',
        },
        { scenario: 'two-instances', measure: 'non-200 webhook answers', value: errors, target: '0', met: errors === 0 },
        {
          scenario: 'two-instances',
          measure: 'every event stored and applied once',
          value: appliedOnce ? 'yes' : 'NO',
          target: 'yes',
          met: appliedOnce,
        },
        {
          scenario: 'two-instances',
          measure: '同步人事数据 on both: one 201, one 409',
          value: clicks.join(' + '),
          target: '201 + 409',
          met: clicksOk,
        },
        {
          scenario: 'two-instances',
          measure: `each of ${JOBS.length} daily jobs ran once`,
          value: jobsOnce ? 'yes' : 'NO',
          target: 'yes',
          met: jobsOnce,
        },
        {
          scenario: 'two-instances',
          measure: 'end state = serial replay in occurrence order',
          value: verdict,
          target: 'OK',
          met: replay.complete ? mismatches.length === 0 : undefined,
        },
      ],
      details: {
        sends: plan.queue.length,
        unique: plan.events.length,
        people: plan.people.length,
        statuses: sent.statuses,
        outcomes: sent.outcomes,
        sendMs,
        syncClickedAtMs: clickedAt,
        syncOverlappedSends: clickedAt < sendMs,
        clicks,
        jobs,
        deadlocksOnServerDuringRun: deadlocksDuring,
        batching,
        replay,
        mismatchSample: mismatches.slice(0, 5),
      },
      notes,
    };
  } finally {
    await restore();
    await db.destroy();
  }
}
