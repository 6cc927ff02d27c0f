/**
 * activities: 2,000 people sign up for an activity with 500 places, open to all 100,000 employees, over
 * HTTP. Two shapes: a steady crowd (50 connections, each sending its next sign-up when the last is
 * answered; the latency target applies here) and a burst (all 2,000 sent at the same instant, which
 * queue behind the activity's sign-up batches by design, so its latency is reported without a target).
 * Each ends checked against the database: exactly 500 registered, the rest waitlisted with tickets
 * 1..1500 in order, the counters agreeing, no overbooking. The activities and everything they wrote are
 * removed. How the sign-ups batched (mean sign-ups per batch) is reported for each shape.
 */
import http from 'node:http';
import { DEV_SECRET, signToken } from '../../examples/host/sso';
import { cpuMeter, databasePid, openDb, percentile, round, snapshot, staffToken, startServer } from '../lib';
import { below, type Row, type ScenarioResult } from './types';

const SIGNUPS = 2000;
const PLACES = 500;
const CONNECTIONS = Number(process.env.BENCH_ACTIVITY_CONNECTIONS ?? 50);

interface Answer {
  status: number;
  ms: number;
  body: { status?: string; position?: number };
}

const day = 86400_000;

async function createActivity(url: string, title: string): Promise<number> {
  const now = Date.now();
  const res = await fetch(`${url}/union/api/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staffToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      title,
      type: 'sports',
      location: '体育馆',
      capacity: PLACES,
      audience: { kind: 'employed' },
      startAt: new Date(now + 7 * day).toISOString(),
      endAt: new Date(now + 7 * day + 3 * 3600_000).toISOString(),
      registrationDeadline: new Date(now + 6 * day).toISOString(),
    }),
  });
  if (res.status !== 201) throw new Error(`creating the activity answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

/**
 * One sign-up over node's http with a keep-alive agent: the bench's client shares the server's two cores,
 * and fetch (undici) spent ~1.5 ms of CPU per request where this spends a fraction of it.
 */
function signUp(agent: http.Agent, url: string, activityId: number, token: string): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(`/union/api/activities/${activityId}/registrations`, url),
      { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '2' } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          let body: Answer['body'] = {};
          try {
            body = JSON.parse(Buffer.concat(parts).toString('utf8')) as Answer['body'];
          } catch {
            // an unreadable answer counts by its status
          }
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body });
        });
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

/** `connections` workers, each taking the next person when its last request is answered; 0 = all at once. */
async function crowd(url: string, activityId: number, tokens: string[], connections: number): Promise<Answer[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections || tokens.length });
  try {
    if (!connections) return await Promise.all(tokens.map((t) => signUp(agent, url, activityId, t)));
    const out: Answer[] = [];
    let next = 0;
    const worker = async () => {
      while (next < tokens.length) out.push(await signUp(agent, url, activityId, tokens[next++]));
    };
    await Promise.all(Array.from({ length: connections }, worker));
    return out;
  } finally {
    agent.destroy();
  }
}

type Db = ReturnType<typeof openDb>;

/** Enabling the module starts a catch-up reconciliation of all 100,000 people in the background: measure after it. */
async function catchUpDone(db: Db, after: number): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const run = await db('union_reconcile_runs').where('id', '>', after).orderBy('id', 'desc').first('status');
    if (run && run.status !== 'running') return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * What the database says after the storm: never more than 500 registered, everyone answered 201 or
 * 200 has exactly that row, the waitlist tickets run 1..n without gaps, and the counter agrees. A
 * request that failed (overload) must have left nothing behind; failures are reported on their own.
 */
async function verify(db: Db, activityId: number, answers: Answer[]) {
  const rows = (await db('union_activity_registrations').where({ activity_id: activityId }).select('status', 'waitlist_seq')) as Array<{
    status: string;
    waitlist_seq: number | null;
  }>;
  const registered = rows.filter((r) => r.status === 'registered').length;
  const seqs = rows
    .filter((r) => r.status === 'waitlisted')
    .map((r) => Number(r.waitlist_seq))
    .sort((a, b) => a - b);
  const taken = Number((await db('union_activities').where({ id: activityId }).first('taken')).taken);
  const accepted = answers.filter((a) => a.status === 201 || a.status === 200).length;
  const answered201 = answers.filter((a) => a.status === 201).length;
  const positions = answers
    .filter((a) => a.status === 200)
    .map((a) => Number(a.body.position))
    .sort((a, b) => a - b);
  const expectRegistered = Math.min(PLACES, accepted);
  const waiting = accepted - expectRegistered;
  const inOrder = (xs: number[]) => xs.length === waiting && xs.every((x, i) => x === i + 1);
  const problems = [
    registered > PLACES && `OVERBOOKED: ${registered} registered`,
    registered !== expectRegistered && `${registered} registered, expected ${expectRegistered}`,
    taken !== registered && `counter says ${taken}`,
    answered201 !== registered && `${answered201} answered 201`,
    !inOrder(seqs) && `waitlist tickets not 1..${waiting}`,
    !inOrder(positions) && `waitlist positions answered not 1..${waiting}`,
    rows.length !== accepted && `${rows.length} rows for ${accepted} accepted sign-ups`,
  ].filter(Boolean);
  return { ok: problems.length === 0, registered, waitlisted: seqs.length, accepted, problems };
}

export async function run(): Promise<ScenarioResult> {
  const db = openDb();
  const people = (await db('union_employees')
    .where({ status: 'employed' })
    .orderBy('employee_id')
    .limit(SIGNUPS)
    .pluck('employee_id')) as string[];
  if (people.length < SIGNUPS) throw new Error(`only ${people.length} employed people in the bench company`);
  const employed = Number((await db('union_employees').where({ status: 'employed' }).count({ n: '*' }).first())?.n ?? 0);
  const tokens = people.map((sub) => signToken({ sub, roles: ['employee'] }, { secret: DEV_SECRET, expiresInSec: 3600 }));
  const restore = await snapshot(db, []);
  const runsBefore = Number((await db('union_reconcile_runs').max({ m: 'id' }).first())?.m ?? 0);
  const server = await startServer();
  await catchUpDone(db, runsBefore);
  const rows: Row[] = [];
  const details: Record<string, unknown> = { audience: employed, places: PLACES, signUps: SIGNUPS };
  const activityIds: number[] = [];
  try {
    // Warm-up on an activity of its own (JIT, pools, buffer pool), not counted.
    const warm = await createActivity(server.url, 'warm-up');
    activityIds.push(warm);
    await db('union_activities').where({ id: warm }).update({ status: 'published' });
    await crowd(server.url, warm, tokens.slice(0, 200), 20);

    for (const [label, connections] of [
      [`${CONNECTIONS} connections`, CONNECTIONS],
      ['all at once', 0],
    ] as const) {
      const id = await createActivity(server.url, `bench ${label}`);
      activityIds.push(id);
      // Published straight in the table: publishing through the API would send 100,000 notices, not what is measured.
      await db('union_activities')
        .where({ id })
        .update({ status: 'published', published_at: db.fn.now(3) });
      const batchesBefore = await server.signUpBatches();
      const meter = cpuMeter({ server: server.pid, database: databasePid() });
      const t0 = performance.now();
      const answers = await crowd(server.url, id, tokens, connections);
      const wall = performance.now() - t0;
      const cpu = meter.stop(SIGNUPS);
      const batchesAfter = await server.signUpBatches();
      const batches = batchesAfter.batches - batchesBefore.batches;
      const lat = answers.map((a) => a.ms).sort((a, b) => a - b);
      const p50 = percentile(lat, 50);
      const p99 = percentile(lat, 99);
      const rate = (SIGNUPS / wall) * 1000;
      const bad = answers.filter((a) => a.status !== 201 && a.status !== 200).length;
      const end = await verify(db, id, answers);
      const steady = connections > 0;
      rows.push(
        { scenario: 'activities', measure: `2,000 sign-ups for 500 places, ${label}`, value: round(rate, 0), unit: 'sign-ups/s' },
        {
          scenario: 'activities',
          measure: `${label}: latency p99`,
          value: round(p99, 1),
          unit: 'ms',
          ...(steady ? below(p99, 200) : {}),
        },
        { scenario: 'activities', measure: `${label}: latency p50`, value: round(p50, 1), unit: 'ms' },
        {
          scenario: 'activities',
          measure: `${label}: end state (500 registered, the rest waitlisted in order, nothing overbooked)`,
          value: end.ok ? `OK ${end.registered}+${end.waitlisted}` : `WRONG: ${end.problems.join(', ')}`,
          target: 'OK',
          met: end.ok,
        },
      );
      if (bad) rows.push({ scenario: 'activities', measure: `${label}: failed requests`, value: bad, target: '0', met: false });
      rows.push({
        scenario: 'activities',
        measure: `${label}: sign-ups per batch (mean)`,
        value: round((batchesAfter.signUps - batchesBefore.signUps) / Math.max(1, batches), 1),
        unit: 'sign-ups',
      });
      details[label] = {
        wallMs: round(wall),
        p50,
        p99,
        max: lat[lat.length - 1],
        failed: bad,
        cpuMsPerSignUp: cpu,
        batches,
        largestBatchSoFar: batchesAfter.largestBatch,
        failedBatches: batchesAfter.failedBatches - batchesBefore.failedBatches,
        end,
      };
    }
    rows.push({ scenario: 'activities', measure: 'audience: everyone employed', value: employed, unit: 'people' });
  } finally {
    await server.stop();
    if (activityIds.length) {
      await db('union_activity_registrations').whereIn('activity_id', activityIds).delete();
      await db('union_activity_options').whereIn('activity_id', activityIds).delete();
      await db('union_activities').whereIn('id', activityIds).delete();
    }
    await restore();
    await db.destroy();
  }
  return { rows, details };
}
