import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** The welfare ledger on MariaDB with a faked clock (2026-11-23): October's gap, duplicates, not entitled. */
describe('care: welfare ledger and gap detection', () => {
  let w: World;
  let planId: number;
  const staff = () => w.token('u_staff', ['employee', 'union_staff']);
  const emp = () => w.token('u_emp');
  let outsider: string;
  let late: string;
  let gone: string;

  const member = (employee_id: string, joined_at: string, expired_at: string | null = null) => ({
    employee_id,
    status: expired_at ? 'expired' : 'active',
    joined_at,
    expired_at,
    created_at: '2026-01-01 00:00:00.000',
    updated_at: '2026-01-01 00:00:00.000',
  });
  const pay = (period: string, employeeIds: string[], id = planId) =>
    w.api.post('/union/api/welfare/payments').set(bearer(staff())).send({ planId: id, period, employeeIds });

  before(async () => {
    w = await makeWorld({ settings: { care: { reportTo: ['u_chair'], maxPerPaymentCents: 80_000, maxPerPersonYearCents: 100_000 } } });
    // A known membership list: the fixture, not the code under test.
    await w.db('union_membership_history').delete();
    await w.db('union_memberships').delete();
    const others = await w
      .db('host_employees')
      .whereNotIn('id', ['u_emp', 'u_staff', 'u_chair', 'admin'])
      .orderBy('id')
      .limit(3)
      .select('id');
    [outsider, late, gone] = others.map((r: { id: string }) => r.id);
    await w.db('union_memberships').insert([
      member('u_emp', '2026-01-01'),
      member('u_chair', '2026-01-01'),
      member('u_staff', '2025-05-01'),
      member(late, '2026-10-20'), // a member for part of October: entitled
      member(gone, '2025-01-01', '2026-10-01'), // ended on the first of October: not entitled in October
    ]);
  });
  after(async () => w.close());

  it('creates a monthly plan for all members (201 with its id, audited)', async () => {
    const res = await w.api
      .post('/union/api/welfare/plans')
      .set(bearer(staff()))
      .send({ name: '交通补贴', amount: 100, cycle: 'monthly', startsOn: '2026-09-01', audience: 'all_members' })
      .expect(201);
    planId = res.body.id;
    expect(await w.db('union_welfare_plans').where({ id: planId }).first()).to.include({ amount_cents: 10_000, cycle: 'monthly' });
    expect(
      await w
        .db('union_audit')
        .where({ action: 'welfare.plan.created', entity_id: String(planId) })
        .first(),
    ).to.not.equal(undefined);
  });

  it('records payments in bulk, tells each person, and finds the October gap, duplicates and not-entitled payments', async () => {
    expect((await pay('2026-09', ['u_emp', 'u_chair', 'u_staff', gone]).expect(201)).body).to.include({ recorded: 4 });
    await pay('2026-10', ['u_chair', 'u_staff', late]).expect(201);
    await pay('2026-10', ['u_chair', outsider, gone]).expect(201);
    await pay('2026-11', ['u_emp', 'u_chair', 'u_staff', late]).expect(201);
    expect(w.notify.calledWithMatch({ to: ['u_emp', 'u_chair', 'u_staff', gone], template: 'union.welfare.paid' })).to.equal(true);

    const oct = await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-10`).set(bearer(staff())).expect(200);
    expect(oct.body.missing).to.deep.equal([{ employeeId: 'u_emp' }]);
    expect(oct.body.duplicates).to.deep.equal([{ employeeId: 'u_chair', count: 2 }]);
    expect(oct.body.notEntitled.map((r: { employeeId: string }) => r.employeeId)).to.have.members([outsider, gone]);

    const sep = await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-09`).set(bearer(staff())).expect(200);
    expect(sep.body).to.deep.include({ missing: [], duplicates: [], notEntitled: [] });
    const nov = await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-11`).set(bearer(staff())).expect(200);
    expect(nov.body.missing).to.deep.equal([]);
  });

  it('before the plan starts nobody is owed, and any payment is not entitled', async () => {
    await pay('2026-08', ['u_emp']).expect(201);
    const aug = await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-08`).set(bearer(staff())).expect(200);
    expect(aug.body).to.deep.include({ missing: [], notEntitled: [{ employeeId: 'u_emp' }] });
  });

  it("the monthly job sends last month's gap report to the staff named in the settings", async () => {
    w.notify.resetHistory();
    const run = await w.plugin.runJob('welfare-gaps', { trigger: 'button', actor: { id: 'u_staff', kind: 'user' } });
    expect(run.value).to.include({ period: '2026-10', plans: 1, missing: 1, duplicates: 1, notEntitled: 2, sent: 1 });
    const call = w.notify.getCalls().find((c) => c.args[0].template === 'union.welfare.gaps');
    expect(call?.args[0].to).to.deep.equal(['u_chair']);
    expect(call?.args[0].body).to.include('2026-10 共 1 个福利项目有问题：应发未发 1 人，重复发放 1 人，不应发放 2 人');
  });

  it('an employee sees only their own payments, on the API and on 我的福利', async () => {
    const res = await w.api.get('/union/api/me/welfare').set(bearer(emp())).expect(200);
    expect(res.body.items.map((p: { period: string }) => p.period)).to.deep.equal(['2026-08', '2026-11', '2026-09']);
    expect(res.body.items[0]).to.include({ plan: '交通补贴', amount: 100 });
    const page = await w.api.get('/union/my-welfare').set(bearer(emp())).expect(200);
    expect(page.text.match(/data-testid="payment"/g)).to.have.length(3);
    const chair = await w.api
      .get('/union/api/me/welfare')
      .set(bearer(w.token('u_chair', ['employee', 'union_chair'])))
      .expect(200);
    expect(chair.body.items).to.have.length(4); // Sep, Oct twice, Nov: nobody else's
  });

  it('an employee gets 403 on every staff API and page of the ledger', async () => {
    await w.api.post('/union/api/welfare/plans').set(bearer(emp())).send({}).expect(403);
    await w.api.post('/union/api/welfare/payments').set(bearer(emp())).send({}).expect(403);
    await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-10`).set(bearer(emp())).expect(403);
    await w.api.get('/union/welfare').set(bearer(emp())).expect(403);
  });

  it('bad input is a 400 naming the field, and nothing is written', async () => {
    const before = Number((await w.db('union_welfare_payments').count({ n: '*' }).first())!.n);
    expect(JSON.stringify((await pay('2026-13', ['u_emp']).expect(400)).body)).to.include('period');
    const weekly = await w.api
      .post('/union/api/welfare/plans')
      .set(bearer(staff()))
      .send({ name: 'x', amount: 1, cycle: 'weekly', startsOn: '2026-09-01', audience: 'all_members' })
      .expect(400);
    expect(JSON.stringify(weekly.body)).to.include('cycle');
    await pay('2026-10', ['u_emp'], 999_999).expect(404);
    expect(Number((await w.db('union_welfare_payments').count({ n: '*' }).first())!.n)).to.equal(before);
  });

  it('the limits per payment and per person per year come from the settings', async () => {
    const tooBig = await w.api
      .post('/union/api/welfare/plans')
      .set(bearer(staff()))
      .send({ name: '大额', amount: 900, cycle: 'once', startsOn: '2026-11-01', audience: 'all_members' })
      .expect(400);
    expect(JSON.stringify(tooBig.body)).to.include('amount');
    const big = await w.api
      .post('/union/api/welfare/plans')
      .set(bearer(staff()))
      .send({ name: '慰问金', amount: 600, cycle: 'once', startsOn: '2026-11-01', audience: 'all_members' })
      .expect(201);
    await pay('2026-11', ['u_emp'], big.body.id).expect(201); // 100 + 100 + 100 + 600 this year
    const over = await pay('2026-11', ['u_emp', 'u_staff'], big.body.id).expect(400);
    expect(JSON.stringify(over.body)).to.include('employeeIds').and.include('u_emp');
    expect(await w.db('union_welfare_payments').where({ plan_id: big.body.id }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
  });

  it('staff see the gaps on the ledger page', async () => {
    const page = await w.api.get(`/union/welfare?planId=${planId}&period=2026-10`).set(bearer(staff())).expect(200);
    const emp = await w.db('host_employees').where({ id: 'u_emp' }).first();
    // People are shown by name and employee number from the host, never by their internal id.
    expect(page.text).to.include('data-testid="gaps-missing"').and.include(emp.name).and.include(emp.employee_no);
    expect(page.text).to.not.match(/>\s*u_emp\s*</);
  });
});
