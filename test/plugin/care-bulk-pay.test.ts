import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** The bulk payment form: the entitled list of a plan and period, paged as cards, ticked or all at once, with progress. */
describe('care: bulk payment of the entitled list', () => {
  let w: World;
  let planId: number;
  let ids: string[];
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const paidIds = async () =>
    (await w.db('union_welfare_payments').where({ plan_id: planId, period: '2026-10' }).select('employee_id')).map(
      (r: { employee_id: string }) => r.employee_id,
    );

  before(async () => {
    w = await makeWorld({ employees: 60 });
    await w.db('union_membership_history').delete();
    await w.db('union_memberships').delete();
    ids = (await w.db('host_employees').where({ status: 'employed' }).select('id')).map((r: { id: string }) => r.id).sort();
    await w.db('union_memberships').insert(
      ids.map((employee_id) => ({
        employee_id,
        status: 'active',
        joined_at: '2025-01-01',
        created_at: '2026-01-01 00:00:00.000',
        updated_at: '2026-01-01 00:00:00.000',
      })),
    );
    planId = (
      await w.api
        .post('/union/api/welfare/plans')
        .set(staff())
        .send({ name: '交通补贴', amount: 100, cycle: 'monthly', startsOn: '2026-01-01', audience: 'all_members' })
        .expect(201)
    ).body.id;
  });
  after(async () => w.close());

  it('lists who is owed as cards, a page at a time, with names and not ids', async () => {
    const first = await w.api.get(`/union/welfare/pay?planId=${planId}&period=2026-10&limit=20`).set(staff()).expect(200);
    expect(first.text.match(/data-testid="unpaid"/g)).to.have.length(20);
    const host = await w.db('host_employees').where({ id: ids[0] }).first();
    expect(first.text).to.include(host.name).and.include(`应发未发 ${ids.length} 人`);
    const next = /href="(\/union\/welfare\/pay\?[^"]*after=[^"]+)"/.exec(first.text)![1].replace(/&amp;/g, '&');
    const second = await w.api.get(`${next}&limit=20`).set(staff()).expect(200);
    expect(second.text).to.not.include(`>${host.name}<`);
    expect(second.text.match(/data-testid="unpaid"/g)).to.have.length(20);
  });

  it('marks the ticked people paid from the form, and they leave the list', async () => {
    const page = await w.api.get(`/union/welfare/pay?planId=${planId}&period=2026-10`).set(staff()).expect(200);
    const res = await w.api
      .post('/union/welfare/pay')
      .set(staff())
      .type('form')
      .send(`_csrf=${csrfOf(page.text)}&planId=${planId}&period=2026-10&employeeIds=${ids[0]}&employeeIds=${ids[1]}`)
      .expect(303);
    expect(res.headers.location).to.match(/^\/union\/welfare\/pay\?planId=/);
    expect(await paidIds()).to.have.members([ids[0], ids[1]]);
    const one = await w.api
      .post('/union/welfare/pay')
      .set(staff())
      .type('form')
      .send(`_csrf=${csrfOf(page.text)}&planId=${planId}&period=2026-10&employeeIds=${ids[2]}`)
      .expect(303);
    expect(one.headers.location).to.include('flash=');
    const after = await w.api.get(`/union/welfare/pay?planId=${planId}&period=2026-10`).set(staff()).expect(200);
    expect(after.text).to.include(`应发未发 ${ids.length - 3} 人`);
  });

  it('ticking nobody is a 400 naming employeeIds, and nothing is written', async () => {
    const page = await w.api.get(`/union/welfare/pay?planId=${planId}&period=2026-10`).set(staff()).expect(200);
    const res = await w.api
      .post('/union/welfare/pay')
      .set(staff())
      .type('form')
      .send(`_csrf=${csrfOf(page.text)}&planId=${planId}&period=2026-10`);
    expect(res.status).to.equal(400);
    expect(res.text).to.include('employeeIds');
    expect(await paidIds()).to.have.length(3);
  });

  it('pays everyone left on every page in the background, with progress, exactly once each', async () => {
    const start = await w.api.post('/union/api/welfare/payments/all').set(staff()).send({ planId, period: '2026-10' }).expect(202);
    expect(start.body.total).to.equal(ids.length - 3);
    let progress = { status: 'running', processed: 0, total: 0 };
    for (let i = 0; i < 100 && progress.status === 'running'; i++) {
      progress = (await w.api.get(`/union/api/welfare/batches/${start.body.batch}`).set(staff()).expect(200)).body;
      if (progress.status === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(progress).to.include({ status: 'done', processed: ids.length - 3, total: ids.length - 3 });
    const paid = await paidIds();
    expect(paid).to.have.length(ids.length);
    expect(new Set(paid).size).to.equal(ids.length);
    const gaps = await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-10`).set(staff()).expect(200);
    expect(gaps.body).to.deep.include({ missing: [], duplicates: [] });
    const page = await w.api.get(`/union/welfare/pay?planId=${planId}&period=2026-10&batch=${start.body.batch}`).set(staff()).expect(200);
    expect(page.text).to.include('data-testid="pay-progress"').and.include('发放已全部记录');
    await w.api.post('/union/api/welfare/payments/all').set(staff()).send({ planId, period: '2026-10' }).expect(400);
  });

  it('an employee gets 403 on the page and the bulk actions', async () => {
    const emp = bearer(w.token(ids[5]));
    await w.api.get('/union/welfare/pay').set(emp).expect(403);
    await w.api.post('/union/api/welfare/payments/all').set(emp).send({ planId, period: '2026-10' }).expect(403);
  });
});
