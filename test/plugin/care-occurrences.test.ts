import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Per-occurrence welfare (婚、育、住院、丧、退休): entitled by an occurrence, with the settings' limits. */
describe('care: per-occurrence entitlements', () => {
  let w: World;
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const member = (employee_id: string) => ({
    employee_id,
    status: 'active',
    joined_at: '2025-01-01',
    created_at: '2026-01-01 00:00:00.000',
    updated_at: '2026-01-01 00:00:00.000',
  });
  const plan = (body: Record<string, unknown>) =>
    w.api
      .post('/union/api/welfare/plans')
      .set(staff())
      .send({ name: '结婚慰问', amount: 500, cycle: 'per_occurrence', startsOn: '2026-01-01', audience: 'all_members', ...body });
  const occur = (employeeId: string, kind: string, occurredOn: string) =>
    w.api.post('/union/api/welfare/occurrences').set(staff()).send({ employeeId, kind, occurredOn });
  const gaps = async (planId: number, period: string) =>
    (await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=${period}`).set(staff()).expect(200)).body;
  const pay = (planId: number, period: string, employeeIds: string[]) =>
    w.api.post('/union/api/welfare/payments').set(staff()).send({ planId, period, employeeIds });
  let people: string[];

  before(async () => {
    w = await makeWorld({
      settings: { care: { occasionLimits: { marriage: { perYear: 1, maxPerPaymentCents: 100_000 }, retirement: { perYear: 1 } } } },
    });
    await w.db('union_membership_history').delete();
    await w.db('union_memberships').delete();
    people = (await w.db('host_employees').where({ status: 'employed' }).where('id', 'like', 'E%').orderBy('id').limit(4).select('id')).map(
      (r: { id: string }) => r.id,
    );
    await w.db('union_memberships').insert(people.map(member));
  });
  after(async () => w.close());

  it('a per-occurrence plan may name its occasion (only that cycle may); the per-payment limit of the occasion applies', async () => {
    // Without an occasion (a birthday coupon staff hand out) the plan owes nobody by itself.
    const loose = (await plan({ name: '生日蛋糕券', amount: 50 }).expect(201)).body.id;
    const gaps = await w.api.get(`/union/api/welfare/gaps?planId=${loose}&period=2026-10`).set(staff()).expect(200);
    expect(gaps.body).to.deep.include({ due: false, missing: [] });
    expect(JSON.stringify((await plan({ cycle: 'monthly', occasion: 'marriage' }).expect(400)).body)).to.include('occasion');
    expect(JSON.stringify((await plan({ occasion: 'marriage', amount: 1500 }).expect(400)).body)).to.include('amount');
    expect(JSON.stringify((await plan({ occasion: 'wedding' }).expect(400)).body)).to.include('occasion');
  });

  it('owes exactly the members with an occurrence in the period, and finds who was missed', async () => {
    const { id } = (await plan({ occasion: 'marriage' }).expect(201)).body;
    const [a, b, c] = people;
    await occur(a, 'marriage', '2026-10-03').expect(201);
    await occur(b, 'marriage', '2026-10-28').expect(201);
    await occur(c, 'childbirth', '2026-10-10').expect(201); // another occasion: not this plan's
    await occur('E999999', 'marriage', '2026-10-05').expect(400); // nobody the host knows
    const dup = await occur(a, 'marriage', '2026-10-03').expect(409);
    expect(JSON.stringify(dup.body)).to.include('occurredOn');
    expect(JSON.stringify((await occur(a, 'marriage', '2026-12-01').expect(400)).body)).to.include('occurredOn'); // in the future

    await pay(id, '2026-10', [a, c]).expect(201);
    const oct = await gaps(id, '2026-10');
    expect(oct).to.deep.include({ due: true, missing: [{ employeeId: b }], notEntitled: [{ employeeId: c }] });
    expect((await gaps(id, '2026-09')).missing).to.deep.equal([]);
    expect(await w.db('union_audit').where({ action: 'welfare.occurrence.recorded' }).count({ n: '*' }).first()).to.deep.equal({ n: 3 });
  });

  it('the yearly limit per person and occasion holds across plans', async () => {
    const [a, b] = people;
    const other = (await plan({ name: '结婚礼品', occasion: 'marriage', amount: 200 }).expect(201)).body.id;
    const over = await pay(other, '2026-10', [a, b]).expect(400);
    expect(JSON.stringify(over.body)).to.include('employeeIds').and.include(a).and.not.include(b);
    expect(await w.db('union_welfare_payments').where({ plan_id: other }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    await pay(other, '2026-10', [b]).expect(201);
  });

  it('a retirement in HR data entitles the person at once, from the host event, once', async () => {
    const { id } = (await plan({ name: '退休纪念', occasion: 'retirement', amount: 800 }).expect(201)).body;
    const d = people[3];
    await w.host.hr.exit(d, { exitDate: '2026-11-16', reason: 'retired' });
    expect((await gaps(id, '2026-11')).missing).to.deep.equal([{ employeeId: d }]);
    const row = await w.db('union_welfare_occurrences').where({ employee_id: d, kind: 'retirement' }).first();
    expect(row).to.include({ source: 'hr' });
    await w.plugin.runJob('care-refresh', { trigger: 'button', actor: { id: 'u_staff', kind: 'user' } });
    expect(await w.db('union_welfare_occurrences').where({ employee_id: d }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    await pay(id, '2026-11', [d]).expect(201);
    expect(await gaps(id, '2026-11')).to.deep.include({ missing: [], notEntitled: [] });
  });

  it('an employee cannot record occurrences', async () => {
    await w.api
      .post('/union/api/welfare/occurrences')
      .set(bearer(w.token(people[0])))
      .send({})
      .expect(403);
  });
});
