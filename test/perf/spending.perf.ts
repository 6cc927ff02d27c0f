import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/**
 * Measurement (MariaDB only; run it alone: npx mocha test/perf/spending.perf.ts): where the money went for a
 * month at 100,000 employees in 10 orgs with one monthly plan, through the HTTP API (authentication included).
 * It prints the median of five calls; the figures it checks are the counts, not the time.
 */
const N = 100_000;
describe('care: where the money went at 100,000 employees', function () {
  this.timeout(600_000);
  let w: World;
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
    const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id as number;
    for (let i = 1; i < 10; i++)
      await w.db('union_orgs').insert({ name: `分会${i}`, level: 'branch', parent_id: root, created_at: '2026-01-01 00:00:00.000' });
    await w.db.raw(
      `insert into union_care_profiles (employee_id, employed, female, shift_worker, expatriate, hire_date, retire_on, refreshed_at)
       select ${id}, seq % 50 <> 0, seq % 3 = 0, seq % 4 = 0, seq % 40 = 0,
              date_sub('2026-11-23', interval (seq % 7300) day), date_add('2026-01-01', interval (seq % 480) month), now(3)
       from seq_1_to_${N}`,
    );
    await w.db.raw(
      `insert into union_memberships (employee_id, org_id, status, joined_at, created_at, updated_at)
       select ${id}, (select min(id) from union_orgs) + seq % 10, 'active', '2020-01-01', now(3), now(3) from seq_1_to_${N} where seq % 10 <> 1`,
    );
    const planId = (
      await w.api
        .post('/union/api/welfare/plans')
        .set(bearer(staff()))
        .send({ name: 'bench', amount: 100, cycle: 'monthly', startsOn: '2026-01-01', audience: 'all_members' })
    ).body.id;
    await w.db.raw(
      `insert into union_welfare_payments (plan_id, period, employee_id, amount_cents, batch, recorded_by, recorded_at)
       select ?, '2026-10', ${id}, 10000, 'bench', 'bench', now(3) from seq_1_to_${N} where seq % 100 <> 0`,
      [planId],
    );
    await w.db.raw('analyze table union_care_profiles, union_memberships, union_welfare_payments');
  });
  after(async () => w.close());

  it('reports a month per plan, org and group', async () => {
    const ms = await median(() => w.api.get('/union/api/care/spending?period=2026-10').set(bearer(staff())).expect(200));
    const r = (await w.api.get('/union/api/care/spending?period=2026-10').set(bearer(staff())).expect(200)).body;
    console.log(
      `      spending at ${N}: ${ms.toFixed(1)} ms (entitled ${r.totals.entitled}, paid ${r.totals.paid}, missing ${r.totals.missing})`,
    );
    expect(r.totals).to.include({ entitled: 90_000, paid: 99_000, missing: 1000 });
  });
});
