import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** 我的会籍: a member withdraws from the page; a rejected applicant is not shown a stale invitation; consent is required in the browser. */
describe('self-service on 我的会籍', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());
  const cookie = (w: World, id = 'u_emp') => `hr_session=${w.token(id)}`;
  const staff = (w: World) => bearer(w.token('u_staff', ['employee', 'union_staff']));

  async function makeMember(w: World) {
    const { body } = await w.api
      .post('/union/api/join-applications')
      .set(bearer(w.token('u_emp')))
      .send({ consent: true })
      .expect(201);
    await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(200);
  }

  it('a member withdraws with a reason through the form; without a reason nothing changes', async () => {
    await makeMember(w);
    const home = await w.api.get('/union/').set('Cookie', cookie(w)).expect(200);
    expect(home.text).to.include('action="/union/me/withdraw"').and.include('data-confirm=');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    const bad = await w.api
      .post('/union/me/withdraw')
      .set('Cookie', cookie(w))
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf });
    expect(bad.status).to.equal(400);
    expect((await w.db('union_memberships').where({ employee_id: 'u_emp' }).first()).status).to.equal('active');
    const ok = await w.api.post('/union/me/withdraw').set('Cookie', cookie(w)).type('form').send({ _csrf: csrf, reason: '个人原因' });
    expect(ok.status).to.equal(303);
    expect(ok.headers.location).to.match(/^\/union\//);
    const m = await w.db('union_memberships').where({ employee_id: 'u_emp' }).first();
    expect(m.status).to.equal('withdrawn');
    const h = await w.db('union_membership_history').where({ membership_id: m.id }).orderBy('id', 'desc').first();
    expect(h).to.include({ to_status: 'withdrawn', reason: '个人原因' });
    const after = await w.api.get('/union/').set('Cookie', cookie(w)).expect(200);
    expect(after.text).to.not.include('action="/union/me/withdraw"');
  });

  it('a rejected applicant sees the rejection, not the old invitation', async () => {
    await w.api
      .post('/union/api/invitations')
      .set(staff(w))
      .send({ employeeIds: ['u_emp'] })
      .expect(201);
    const invited = await w.api.get('/union/').set('Cookie', cookie(w)).expect(200);
    expect(invited.text).to.include('工会邀请您加入');
    const { body } = await w.api
      .post('/union/api/join-applications')
      .set(bearer(w.token('u_emp')))
      .send({ consent: true })
      .expect(201);
    await w.api.post(`/union/api/join-applications/${body.id}/reject`).set(staff(w)).send({ reason: '材料不全' }).expect(200);
    const home = await w.api.get('/union/').set('Cookie', cookie(w)).expect(200);
    expect(home.text).to.include('材料不全').and.not.include('工会邀请您加入');
  });

  it('the consent box is required before the form goes', async () => {
    const page = await w.api.get('/union/join').set('Cookie', cookie(w)).expect(200);
    expect(page.text).to.match(/<input type="checkbox" name="consent" value="on" required/);
  });
});

describe('the ledger template', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());

  it('the import page links a ready template whose header the import reads', async () => {
    const staff = bearer(w.token('u_staff', ['employee', 'union_staff']));
    const page = await w.api.get('/union/imports').set(staff).expect(200);
    expect(page.text).to.include('href="/union/assets/ledger-template.csv"').and.include('下载模板');
    const csv = await w.api.get('/union/assets/ledger-template.csv').expect(200);
    expect(csv.text).to.include('"姓名","工号","部门"').and.include('入会时间');
  });
});
