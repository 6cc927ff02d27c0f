/**
 * care: the six service groups' counts and the welfare gap report of one plan and period at full size,
 * through the service and over HTTP, 20 runs each. The scenario adds one monthly plan with a month of
 * payments shaped like a real one (1% of members missed, some paid twice, some paid who are not members)
 * and removes them again; nothing it adds is in the generated company's checksum.
 */
import { groupCounts } from '../../plugin/services/care/groups';
import { planGaps } from '../../plugin/services/care/welfare-gaps';
import { median, openDb, openHost, round, staffToken, startServer, timed } from '../lib';
import { below, type Row, type ScenarioResult } from './types';

const RUNS = 20;
const PERIOD = '2026-10';

async function series(work: () => Promise<unknown>): Promise<number[]> {
  await work(); // warm-up: buffer pool and JIT, not counted
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push((await timed(work)).ms);
  return ms;
}

const rowsOf = (label: string, ms: number[]): Row[] => {
  const med = median(ms);
  const max = Math.max(...ms);
  return [
    { scenario: 'care', measure: `${label}, median of ${RUNS}`, value: round(med), unit: 'ms', ...below(med, 300) },
    { scenario: 'care', measure: `${label}, max of ${RUNS}`, value: round(max), unit: 'ms' },
  ];
};

export async function run(): Promise<ScenarioResult> {
  const db = openDb();
  const { host, plugin } = await openHost(db);
  const ctx = plugin.ctx;
  const [planId] = await db('union_welfare_plans').insert({
    name: 'bench: monthly allowance',
    amount_cents: 10000,
    cycle: 'monthly',
    starts_on: '2026-01-01',
    audience: 'all_members',
    created_by: 'bench',
    created_at: '2026-11-23 00:00:00.000',
  });
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  try {
    // Every member active in the period is paid once, except every 100th; one in 500 twice; and 10,000
    // people who were never members (their ids are made up) were paid as well.
    await db.raw(
      `insert into union_welfare_payments (plan_id, period, employee_id, amount_cents, batch, recorded_by, recorded_at)
       select ?, ?, employee_id, 10000, 'bench', 'bench', '2026-10-31 00:00:00.000'
       from (select employee_id, row_number() over (order by employee_id) n from union_memberships where status = 'active') m
       where n % 100 <> 0
       union all
       select ?, ?, employee_id, 10000, 'bench', 'bench', '2026-10-31 00:00:00.000'
       from (select employee_id, row_number() over (order by employee_id) n from union_memberships where status = 'active') m
       where n % 500 = 1`,
      [planId, PERIOD, planId, PERIOD],
    );
    await db.raw(
      `insert into union_welfare_payments (plan_id, period, employee_id, amount_cents, batch, recorded_by, recorded_at)
       select ?, ?, concat('X', lpad(seq, 6, '0')), 10000, 'bench', 'bench', '2026-10-31 00:00:00.000' from seq_1_to_10000`,
      [planId, PERIOD],
    );
    await db.raw('analyze table union_care_profiles, union_memberships, union_welfare_payments');

    const counts = await groupCounts(ctx);
    const gaps = await planGaps(ctx, Number(planId), PERIOD);
    details.groups = counts;
    details.gaps = { missing: gaps.missing.length, duplicates: gaps.duplicates.length, notEntitled: gaps.notEntitled.length };
    rows.push(...rowsOf('group counts, service', await series(() => groupCounts(ctx))));
    rows.push(...rowsOf('gap report, service', await series(() => planGaps(ctx, Number(planId), PERIOD))));
  } catch (err) {
    await cleanUp(db, Number(planId));
    await host.close();
    await db.destroy();
    throw err;
  }
  await host.close();

  const server = await startServer();
  try {
    const headers = { authorization: `Bearer ${staffToken()}` };
    const get = (path: string) => async () => {
      const res = await fetch(`${server.url}${path}`, { headers });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      return res.json();
    };
    rows.push(...rowsOf('GET /union/api/service-groups', await series(get('/union/api/service-groups'))));
    rows.push(...rowsOf('GET /union/api/welfare/gaps', await series(get(`/union/api/welfare/gaps?planId=${planId}&period=${PERIOD}`))));
  } finally {
    await server.stop();
    await cleanUp(db, Number(planId));
    await db.destroy();
  }
  return { rows, details };
}

async function cleanUp(db: ReturnType<typeof openDb>, planId: number): Promise<void> {
  await db('union_welfare_payments').where({ plan_id: planId }).delete();
  await db('union_welfare_plans').where({ id: planId }).delete();
}
