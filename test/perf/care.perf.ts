import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/**
 * Benchmark (MariaDB only; run it alone: npx mocha test/perf/care.perf.ts): service groups and the welfare gap report at 100,000 employees,
 * each under 300 ms (median of five calls through the HTTP API, authentication included).
 */
const N = 100_000;
describe('care: groups and gap report at 100,000 employees', function () {
  this.timeout(600_000);
  let w: World;
  let planId: number;
  const staff = () => w.token('u_staff', ['employee', 'union_staff']);
  const median = async (f: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      await f();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return times.sort((a, b) => a - b)[2];
  };

  before(async () => {
    w = await makeWorld();
    const id = "concat('B', lpad(seq, 6, '0'))";
    await w.db.raw(
      `insert into union_care_profiles (employee_id, employed, female, shift_worker, expatriate, hire_date, retire_on, refreshed_at)
       select ${id}, seq % 50 <> 0, seq % 3 = 0, seq % 4 = 0, seq % 40 = 0,
              date_sub('2026-11-23', interval (seq % 7300) day), date_add('2026-01-01', interval (seq % 480) month), now(3)
       from seq_1_to_${N}`,
    );
    await w.db.raw(
      `insert into union_memberships (employee_id, status, joined_at, created_at, updated_at)
       select ${id}, 'active', '2020-01-01', now(3), now(3) from seq_1_to_${N} where seq % 10 <> 1`,
    );
    planId = (
      await w.api
        .post('/union/api/welfare/plans')
        .set(bearer(staff()))
        .send({ name: 'bench', amount: 100, cycle: 'monthly', startsOn: '2026-01-01', audience: 'all_members' })
    ).body.id;
    await w.db.raw(
      `insert into union_welfare_payments (plan_id, period, employee_id, amount_cents, batch, recorded_by, recorded_at)
       select ?, '2026-10', ${id}, 10000, 'bench', 'bench', now(3) from seq_1_to_${N} where seq % 100 <> 0 or seq % 1000 = 0
       union all select ?, '2026-10', ${id}, 10000, 'bench', 'bench', now(3) from seq_1_to_${N} where seq % 500 = 0`,
      [planId, planId],
    );
    await w.db.raw('analyze table union_care_profiles, union_memberships, union_welfare_payments');
  });
  after(async () => w.close());

  it('counts the six groups in under 300 ms', async () => {
    const ms = await median(() => w.api.get('/union/api/service-groups').set(bearer(staff())).expect(200));
    console.log(`      groups at ${N}: ${ms.toFixed(1)} ms`);
    const res = await w.api.get('/union/api/service-groups').set(bearer(staff()));
    expect(res.body.find((g: { code: string }) => g.code === 'female').count).to.be.greaterThan(30_000);
    expect(ms).to.be.lessThan(300);
  });

  it('reads a page of a group in under 300 ms, deep in the list', async () => {
    const ms = await median(() =>
      w.api.get('/union/api/service-groups/female/members?limit=50&after=B090000').set(bearer(staff())).expect(200),
    );
    console.log(`      a group page at ${N}: ${ms.toFixed(1)} ms`);
    expect(ms).to.be.lessThan(300);
  });

  it('finds the gaps of a plan and period in under 300 ms', async () => {
    const ms = await median(() => w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-10`).set(bearer(staff())).expect(200));
    const res = await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-10`).set(bearer(staff()));
    console.log(
      `      gaps at ${N}: ${ms.toFixed(1)} ms (missing ${res.body.missing.length}, duplicates ${res.body.duplicates.length}, not entitled ${res.body.notEntitled.length})`,
    );
    expect(res.body.missing.length).to.equal(800);
    expect(res.body.duplicates.length).to.equal(100);
    expect(res.body.notEntitled.length).to.equal(10_000);
    expect(ms).to.be.lessThan(300);
  });
});
