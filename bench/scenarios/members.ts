/**
 * member list: the staff ledger page (HTML) and its JSON API, filtered to active members of one
 * department, under 50 concurrent connections with autocannon for 10 s each.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
import { cpuMeter, databasePid, round, staffToken, startServer } from '../lib';
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
  '2xx': number;
  duration: number;
}

const CONNECTIONS = 50;
const DURATION_SEC = Number(process.env.BENCH_LIST_SECONDS ?? 10);
const QUERY = 'status=active&departmentId=D03';

export async function run(): Promise<ScenarioResult> {
  const server = await startServer();
  const headers = { authorization: `Bearer ${staffToken()}` };
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  try {
    for (const [label, path] of [
      ['HTML /union/members', `/union/members?${QUERY}`],
      ['JSON /union/api/members', `/union/api/members?${QUERY}`],
    ] as const) {
      const url = `${server.url}${path}`;
      const first = await fetch(url, { headers });
      const body = await first.text();
      const items = path.includes('/api/') ? (JSON.parse(body).items?.length ?? 0) : (body.match(/<tr/g)?.length ?? 0);
      await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 }); // warm-up, not counted
      const meter = cpuMeter({ server: server.pid, database: databasePid() });
      const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_SEC });
      const cpu = meter.stop(r.requests.total);
      const rps = r.requests.average;
      const p99 = r.latency.p99;
      const bad = r.non2xx + r.errors + r.timeouts;
      rows.push(
        {
          scenario: 'member list',
          measure: `${label}, ${CONNECTIONS} connections, ${DURATION_SEC} s`,
          value: round(rps, 0),
          unit: 'req/s',
          ...atLeast(rps, 1000),
        },
        { scenario: 'member list', measure: `${label}, latency p99`, value: round(p99, 1), unit: 'ms', ...below(p99, 100) },
      );
      if (bad) rows.push({ scenario: 'member list', measure: `${label}, failed requests`, value: bad, target: '0', met: false });
      details[label] = {
        status: first.status,
        bytes: body.length,
        rowsOnPage: items,
        requests: r.requests.total,
        ok: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        latency: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
        cpuMsPerRequest: cpu,
      };
    }
  } finally {
    await server.stop();
  }
  return { rows, details };
}
