/**
 * events: 10,000 signed host events over real HTTP to the module's Standard Webhooks receiver, from
 * 32 concurrent senders, with 5% resent under the same webhook-id and some out of order (an exit that
 * arrives before its hire; an old exit that arrives after a re-hire). Then the end state of everyone
 * concerned is compared with a serial replay of the same events in the order they happened.
 */
import http from 'node:http';
import type { Knex } from 'knex';
import { Webhook } from 'standardwebhooks';
import { mulberry32, type Rng } from '../../examples/host/prng';
import { DEPARTMENTS } from '../../examples/host/seed-data';
import type { HostEvent } from '../../plugin/host';
import { ingestEvent } from '../../plugin/sync/events';
import { SEED } from '../generate';
import {
  cpuMeter,
  databasePid,
  afterCatchUp,
  lastRunId,
  openDb,
  openHost,
  percentile,
  round,
  snapshot,
  startServer,
  WEBHOOK_SECRET,
} from '../lib';
import { atLeast, below, type ScenarioResult } from './types';

const TOTAL_SENDS = Number(process.env.BENCH_EVENTS ?? 10_000);
const CONCURRENCY = 32;
const DUPLICATE_SHARE = 0.05;
const SEND_TIME_LIMIT_MS = 180_000;
const REPLAY_TIME_LIMIT_MS = 240_000;
const DAY_MS = 86_400_000;

const dayBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

export interface Planned {
  events: HostEvent[];
  /** Unique events in the order they happened. */
  byOccurrence: HostEvent[];
  /** What the senders send, in this order (duplicates included). */
  queue: HostEvent[];
  people: string[];
  outOfOrder: { exitBeforeHire: number; oldExitAfterRehire: number };
}

function otherDept(rng: Rng, current: string): string {
  const others = DEPARTMENTS.filter((d) => d.id !== current);
  return rng.pick(others).id;
}

export async function planEvents(db: Knex, today: string, total: number): Promise<Planned> {
  const rng = mulberry32(SEED + 3);
  const active: Array<{ employee_id: string; department_id: string }> = await db('union_memberships as m')
    .join('union_employees as e', 'e.employee_id', 'm.employee_id')
    .where('m.status', 'active')
    .orderBy('m.employee_id')
    .select('m.employee_id', 'e.department_id');
  const former: Array<{ employee_id: string; department_id: string; exit_date: string }> = await db('union_memberships as m')
    .join('union_employees as e', 'e.employee_id', 'm.employee_id')
    .where('m.status', 'expired')
    .orderBy('m.employee_id')
    .select('m.employee_id', 'e.department_id', 'e.exit_date');
  // A smaller company (BENCH_EMPLOYEES) gets fewer events: transfers and exits need distinct members.
  const unique = Math.min(Math.round(total / (1 + DUPLICATE_SHARE)), Math.floor(active.length * 1.5));
  const taken = new Set<number>();
  const pickActive = () => {
    for (let i = 0; i < 10_000; i++) {
      const k = rng.int(0, active.length - 1);
      if (!taken.has(k)) return (taken.add(k), active[k]);
    }
    throw new Error('not enough active members for the events scenario');
  };
  const n = (share: number) => Math.round(unique * share);
  const nExitBeforeHire = Math.min(n(0.016), 500);
  const nRehire = Math.min(n(0.021), Math.floor(former.length / 2));
  const nHireTransfer = n(0.063);
  const nHire = n(0.21);
  const nExit = n(0.21);
  const nTransfer = unique - 2 * nExitBeforeHire - 2 * nRehire - 2 * nHireTransfer - nHire - nExit;

  // A story is one person's events in the order they happened; `sendOrder` says how they go out.
  type Story = { events: Array<Omit<HostEvent, 'id' | 'timestamp'> & { at?: string }>; sendOrder?: number[] };
  const stories: Story[] = [];
  let hireSeq = 0;
  const newId = () => `WH${String(++hireSeq).padStart(6, '0')}`;
  for (let i = 0; i < nTransfer; i++) {
    const p = pickActive();
    stories.push({
      events: [
        {
          type: 'employee.transferred',
          data: { employeeId: p.employee_id, fromDepartmentId: p.department_id, departmentId: otherDept(rng, p.department_id) },
        },
      ],
    });
  }
  for (let i = 0; i < nExit; i++) {
    const p = pickActive();
    const retired = rng.chance(0.1);
    stories.push({
      events: [
        {
          type: 'employee.exited',
          data: { employeeId: p.employee_id, exitDate: today, reason: retired ? 'retired' : '个人原因', retired },
        },
      ],
    });
  }
  for (let i = 0; i < nHire; i++) {
    stories.push({
      events: [{ type: 'employee.hired', data: { employeeId: newId(), departmentId: rng.pick(DEPARTMENTS).id, hireDate: today } }],
    });
  }
  for (let i = 0; i < nHireTransfer; i++) {
    const id = newId();
    const dept = rng.pick(DEPARTMENTS).id;
    stories.push({
      events: [
        { type: 'employee.hired', data: { employeeId: id, departmentId: dept, hireDate: today } },
        { type: 'employee.transferred', data: { employeeId: id, fromDepartmentId: dept, departmentId: otherDept(rng, dept) } },
      ],
    });
  }
  // Hired a week ago, left today; the exit reaches the module before the hire does.
  for (let i = 0; i < nExitBeforeHire; i++) {
    const id = newId();
    stories.push({
      sendOrder: [1, 0],
      events: [
        { type: 'employee.hired', data: { employeeId: id, departmentId: rng.pick(DEPARTMENTS).id, hireDate: dayBefore(today, 7) } },
        { type: 'employee.exited', data: { employeeId: id, exitDate: today, reason: '个人原因' } },
      ],
    });
  }
  // A former member is hired again; then the exit of their earlier employment is delivered (late).
  const formerPicked = new Set<number>();
  for (let i = 0; i < nRehire; i++) {
    let k = rng.int(0, former.length - 1);
    while (formerPicked.has(k)) k = (k + 1) % former.length;
    formerPicked.add(k);
    const p = former[k];
    const exitDate = String(p.exit_date).slice(0, 10);
    stories.push({
      sendOrder: [1, 0],
      events: [
        { type: 'employee.exited', at: `${exitDate}T01:00:00.000Z`, data: { employeeId: p.employee_id, exitDate, reason: '个人原因' } },
        { type: 'employee.hired', data: { employeeId: p.employee_id, departmentId: p.department_id, hireDate: today } },
      ],
    });
  }
  // Stories interleave: shuffle them, then give the events times in that order, 50 ms apart.
  for (let i = stories.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [stories[i], stories[j]] = [stories[j], stories[i]];
  }
  const base = Date.now() - 30 * 60_000;
  let k = 0;
  const events: HostEvent[] = [];
  const queue: HostEvent[] = [];
  for (const s of stories) {
    const built = s.events.map(
      ({ at, ...e }) =>
        ({
          ...e,
          id: `bench_evt_${String(events.length + 1).padStart(6, '0')}_${k}`,
          timestamp: at ?? new Date(base + 50 * k++).toISOString(),
        }) as HostEvent,
    );
    // ids must be unique: number them in creation order.
    built.forEach((e, i) => (e.id = `bench_evt_${String(events.length + i + 1).padStart(6, '0')}`));
    events.push(...built);
    for (const i of s.sendOrder ?? built.map((_, x) => x)) queue.push(built[i]);
  }
  // 5% are sent again under the same webhook-id, a little later in the stream.
  const dupes = Math.round(queue.length * DUPLICATE_SHARE);
  for (let i = 0; i < dupes; i++) {
    const at = rng.int(0, queue.length - 1);
    const copyOf = queue[at];
    queue.splice(Math.min(queue.length, at + rng.int(1, 200)), 0, copyOf);
  }
  const byOccurrence = [...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id < b.id ? -1 : 1));
  return {
    events,
    byOccurrence,
    queue,
    people: [...new Set(events.map((e) => e.data.employeeId))],
    outOfOrder: { exitBeforeHire: nExitBeforeHire, oldExitAfterRehire: nRehire },
  };
}

export interface SendStats {
  latencies: number[];
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
  ms: number;
  sent: number;
  complete: boolean;
}

/** Sends the queue from `concurrency` senders; with several servers, the i-th event goes to the (i mod n)-th. */
export async function sendAll(urls: string | string[], queue: HostEvent[], concurrency = CONCURRENCY): Promise<SendStats> {
  const wh = new Webhook(WEBHOOK_SECRET);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const targets = (Array.isArray(urls) ? urls : [urls]).map((u) => new URL('/union/hooks/employee-events', u));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  // Signed before the clock starts (well inside the receiver's 5-minute tolerance), so the senders'
  // CPU goes to sending: on 2 cores the signing would otherwise be taken from the server.
  const signedAt = new Date();
  const requests = queue.map((e, i) => {
    const body = JSON.stringify(e);
    return {
      target: targets[i % targets.length],
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'webhook-id': e.id,
        'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
        'webhook-signature': wh.sign(e.id, signedAt, body),
      },
    };
  });
  let next = 0;
  const started = performance.now();
  const deadline = Date.now() + SEND_TIME_LIMIT_MS;
  const post = ({ target, body, headers }: (typeof requests)[number]) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(target, { method: 'POST', agent, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          try {
            const o = JSON.parse(Buffer.concat(parts).toString('utf8')).outcome ?? 'error';
            outcomes[o] = (outcomes[o] ?? 0) + 1;
          } catch {
            outcomes.unreadable = (outcomes.unreadable ?? 0) + 1;
          }
          resolve();
        });
      });
      req.on('error', () => {
        statuses.network = (statuses.network ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });
  let complete = true;
  const worker = async () => {
    while (next < queue.length) {
      if (Date.now() > deadline) {
        complete = false;
        return;
      }
      await post(requests[next++]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { latencies, statuses, outcomes, ms: performance.now() - started, sent: latencies.length, complete };
}

export interface PersonState {
  fact: string;
  status: string | null;
  memberNo: string | null;
  rest: string;
}

export async function stateOf(db: Knex, ids: string[]): Promise<Map<string, PersonState>> {
  const out = new Map<string, PersonState>();
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    const rows = await db('union_employees as e')
      .leftJoin('union_memberships as m', 'm.employee_id', 'e.employee_id')
      .whereIn('e.employee_id', part)
      .select(
        'e.employee_id',
        'e.department_id',
        'e.status as fs',
        'e.hire_date',
        'e.exit_date',
        'e.retired',
        'e.hire_applied',
        'm.status',
        'm.member_no',
        'm.org_id',
        'm.joined_at',
        'm.expired_at',
      );
    for (const r of rows) {
      out.set(r.employee_id, {
        fact: JSON.stringify([r.department_id, r.fs, r.hire_date, r.exit_date, Number(r.retired), Number(r.hire_applied)]),
        status: r.status ?? null,
        memberNo: r.member_no ?? null,
        rest: JSON.stringify([r.org_id, r.joined_at, r.expired_at]),
      });
    }
  }
  return out;
}

/**
 * The reference: the same unique events, one at a time, in the order they happened (after `restore()`
 * put the people back); then everyone's state is compared with what the concurrent run left.
 */
export async function compareWithSerialReplay(
  db: Knex,
  plan: Planned,
  before: Map<string, PersonState>,
  concurrent: Map<string, PersonState>,
) {
  // The reference: the same unique events, one at a time, in the order they happened.
  const { host, plugin } = await openHost(db);
  const replayStart = Date.now();
  let replayed = 0;
  try {
    for (const e of plan.byOccurrence) {
      if (Date.now() - replayStart > REPLAY_TIME_LIMIT_MS) break;
      await ingestEvent(plugin.ctx, e, 'webhook', e.id);
      replayed++;
    }
  } finally {
    await host.close();
  }
  const replayMs = Date.now() - replayStart;
  const serial = await stateOf(db, plan.people);

  let same = 0;
  const mismatches: Array<{ employeeId: string; concurrent?: PersonState; serial?: PersonState }> = [];
  for (const id of plan.people) {
    const a = concurrent.get(id);
    const b = serial.get(id);
    const hadNumber = before.get(id)?.memberNo ?? null;
    // New members' numbers depend on who was first; everyone else's must match exactly.
    const numbersAgree = hadNumber ? a?.memberNo === b?.memberNo : !!a?.memberNo === !!b?.memberNo;
    if (a && b && a.fact === b.fact && a.status === b.status && a.rest === b.rest && numbersAgree) same++;
    else if (!a && !b) same++;
    else mismatches.push({ employeeId: id, concurrent: a, serial: b });
  }
  return { replay: { replayed, ms: replayMs, complete: replayed === plan.byOccurrence.length }, same, mismatches };
}

export async function run(): Promise<ScenarioResult> {
  const db = openDb();
  const today = (await import('../../plugin/lib/time')).dateIn('Asia/Shanghai', new Date());
  const plan = await planEvents(db, today, TOTAL_SENDS);
  const before = await stateOf(db, plan.people);
  const restore = await snapshot(db, plan.people);
  const notes: string[] = [];
  try {
    const mark = await lastRunId(db);
    const server = await startServer();
    let sent: SendStats;
    let cpu: Record<string, number | null>;
    let catchUpMs = 0;
    let queue: Awaited<ReturnType<typeof server.stop>>;
    try {
      // The server's catch-up sync of all 100,000 employees would otherwise share the machine with the senders.
      const waited = Date.now();
      await afterCatchUp(db, mark);
      catchUpMs = Date.now() - waited;
      const meter = cpuMeter({ server: server.pid, database: databasePid() });
      sent = await sendAll(server.url, plan.queue);
      cpu = meter.stop(sent.sent);
    } finally {
      queue = await server.stop();
    }
    if (!sent.complete) notes.push(`sending stopped at the ${SEND_TIME_LIMIT_MS / 1000} s limit after ${sent.sent} events`);
    const concurrent = await stateOf(db, plan.people);
    const eventRows = Number((await db('union_events').count({ n: '*' }).first())!.n);
    await restore();

    const { replay, same, mismatches } = await compareWithSerialReplay(db, plan, before, concurrent);
    const { replayed, ms: replayMs } = replay;
    const replayComplete = replayed === plan.byOccurrence.length;
    const lat = [...sent.latencies].sort((x, y) => x - y);
    const rate = (sent.sent / sent.ms) * 1000;
    const p50 = percentile(lat, 50);
    const p99 = percentile(lat, 99);
    const errors = Object.entries(sent.statuses)
      .filter(([s]) => s !== '200')
      .reduce((t, [, c]) => t + c, 0);
    const verdict = !replayComplete
      ? 'n/a (replay cut short)'
      : mismatches.length
        ? `MISMATCH ${mismatches.length}/${plan.people.length}`
        : `OK ${same}/${plan.people.length}`;
    return {
      rows: [
        {
          scenario: 'events',
          measure: `${sent.sent.toLocaleString('en')} signed webhooks, ${CONCURRENCY} senders`,
          value: round(rate, 0),
          unit: 'events/s',
          ...atLeast(rate, 1000),
        },
        { scenario: 'events', measure: 'latency p50', value: round(p50, 1), unit: 'ms' },
        { scenario: 'events', measure: 'latency p99', value: round(p99, 1), unit: 'ms', ...below(p99, 50) },
        { scenario: 'events', measure: 'non-200 answers', value: errors, target: '0', met: errors === 0 },
        {
          scenario: 'events',
          measure: 'end state = serial replay in occurrence order',
          value: verdict,
          target: 'OK',
          met: replayComplete ? mismatches.length === 0 : undefined,
        },
      ],
      details: {
        sends: plan.queue.length,
        unique: plan.events.length,
        duplicatesSent: plan.queue.length - plan.events.length,
        people: plan.people.length,
        outOfOrder: plan.outOfOrder,
        statuses: sent.statuses,
        outcomes: sent.outcomes,
        ms: Math.round(sent.ms),
        eventsStored: eventRows,
        catchUpSyncWaitedMs: catchUpMs,
        batching: queue && {
          ...queue,
          meanBatch: round(queue.deliveries / Math.max(1, queue.batches), 1),
          statementsPerEvent: round(queue.statements / Math.max(1, queue.deliveries), 2),
        },
        cpuMsPerEvent: cpu,
        replay: { replayed, ms: replayMs, complete: replayComplete },
        mismatchSample: mismatches.slice(0, 5),
      },
      notes,
    };
  } finally {
    await restore();
    await db.destroy();
  }
}
