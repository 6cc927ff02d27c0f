/**
 * member list: the staff ledger page (HTML) and its JSON API, filtered to active members of one
 * department, under 50 concurrent connections with autocannon for 10 s each.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { afterCatchUp, cpuMeter, databasePid, lastRunId, openDb, round, staffToken, startServer } from '../lib';
import { atLeast, below, type Row, type ScenarioResult } from './types';

interface Stat {
  average: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Stat & { total: number };
  latency: Stat;
  throughput: Stat;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
  '2xx': number;
  duration: number;
}

const CONNECTIONS = 50;
const DURATION_SEC = Number(process.env.BENCH_LIST_SECONDS ?? 10);
const QUERY = 'status=active&departmentId=D03';

export async function run(): Promise<ScenarioResult> {
  // A starting module reconciles every employee (a minute at 100,000 on a busy machine): measuring the
  // list while that runs would measure the reconciliation's load, not the list.
  const db = openDb();
  const runs = await lastRunId(db);
  const server = await startServer();
  const waited = Date.now();
  await afterCatchUp(db, runs).finally(() => db.destroy());
  const catchUpMs = Date.now() - waited;
  const headers = { authorization: `Bearer ${staffToken()}` };
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  try {
    // Issue #13's targets: JSON 2,000 req/s with p99 < 50 ms, HTML 1,000 req/s with p99 < 100 ms. The
    // conditional GET (a client that holds the page, If-None-Match) answers 304 and has no target of its own.
    for (const [label, path, minRps, maxP99, conditional] of [
      ['HTML /union/members', `/union/members?${QUERY}`, 1000, 100, false],
      ['JSON /union/api/members', `/union/api/members?${QUERY}`, 2000, 50, false],
      ['JSON /union/api/members, If-None-Match (304)', `/union/api/members?${QUERY}`, 2000, 50, true],
    ] as const) {
      const url = `${server.url}${path}`;
      const first = await fetch(url, { headers });
      const body = await first.text();
      const items = path.includes('/api/') ? (JSON.parse(body).items?.length ?? 0) : (body.match(/<tr/g)?.length ?? 0);
      const etag = first.headers.get('etag');
      const sent = conditional && etag ? { ...headers, 'if-none-match': etag } : headers;
      const expected = conditional ? 304 : 200;
      await autocannon({ url, headers: sent, connections: CONNECTIONS, duration: 2 }); // warm-up, not counted
      const loadAverage = os.loadavg().map((x) => round(x, 2));
      const meter = cpuMeter({ server: server.pid, database: databasePid() });
      const r = await autocannon({ url, headers: sent, connections: CONNECTIONS, duration: DURATION_SEC });
      const cpu = meter.stop(r.requests.total);
      const rps = r.requests.average;
      const p99 = r.latency.p99;
      // A conditional request is answered 304, or 200 once the version (or the host-data epoch) moved on.
      const notModified = r.statusCodeStats?.['304']?.count ?? 0;
      const answered = r['2xx'] + (conditional ? notModified : 0);
      const bad = r.requests.total - answered + r.errors + r.timeouts;
      rows.push(
        {
          scenario: 'member list',
          measure: `${label}, ${CONNECTIONS} connections, ${DURATION_SEC} s`,
          value: round(rps, 0),
          unit: 'req/s',
          ...atLeast(rps, minRps),
        },
        { scenario: 'member list', measure: `${label}, latency p99`, value: round(p99, 1), unit: 'ms', ...below(p99, maxP99) },
      );
      if (bad) rows.push({ scenario: 'member list', measure: `${label}, failed requests`, value: bad, target: '0', met: false });
      details[label] = {
        status: first.status,
        expected,
        loadAverage,
        bytes: body.length,
        rowsOnPage: items,
        requests: r.requests.total,
        ok: r['2xx'],
        non2xx: r.non2xx,
        notModified,
        errors: r.errors,
        timeouts: r.timeouts,
        latency: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
        cpuMsPerRequest: cpu,
      };
    }
    details.serverMemory = serverMemory(server.pid);
  } finally {
    await server.stop();
  }
  return { rows, details: { ...details, catchUpWaitedMs: catchUpMs } };
}

/** The server process's resident memory now and at its peak (VmRSS, VmHWM), in MB; null where /proc is not readable. */
function serverMemory(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}
