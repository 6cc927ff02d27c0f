import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

describe('grievances: confidentiality and anonymity', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ employees: 40 });
    // Another union staff member (of another department, like a branch union's staff) who is not on the case.
    await w.db('host_user_roles').insert({ user_id: 'E000003', role: 'union_staff' });
    await w.api
      .put('/union/api/grievance-categories/wages_benefits')
      .set(bearer(w.token('u_chair', ['employee', 'union_chair'])))
      .send({ staffIds: ['u_staff'] })
      .expect(200);
  });
  after(async () => w.close());
  beforeEach(() => w.notify.resetHistory());

  const emp = () => bearer(w.token('u_emp'));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const file = async (body: object) => (await w.api.post('/union/api/grievances').set(emp()).send(body).expect(201)).body.id as number;

  it('nobody but the filer, the assignee and the chair sees a case: everyone else gets 404, as for a case that does not exist', async () => {
    const id = await file({ category: 'wages_benefits', content: '奖金被扣' });
    const outsiders = {
      'another employee': bearer(w.token('E000002')),
      'union staff not on the case': bearer(w.token('E000001', ['employee', 'union_staff'])),
      'branch staff of another department': bearer(w.token('E000003', ['employee', 'union_staff'])),
      'the module administrator': bearer(w.token('admin', ['employee', 'admin'])),
    };
    const missing = await w.api.get('/union/api/grievances/999999').set(emp()).expect(404);
    for (const [who, auth] of Object.entries(outsiders)) {
      const api = await w.api.get(`/union/api/grievances/${id}`).set(auth);
      expect(api.status, who).to.equal(404);
      expect(api.body.error.code, who).to.equal(missing.body.error.code);
      expect((await w.api.get(`/union/grievances/${id}`).set(auth)).status, `${who}: page`).to.equal(404);
      expect((await w.api.post(`/union/api/grievances/${id}/updates`).set(auth).send({ note: 'x' })).status, `${who}: update`).to.equal(
        404,
      );
      expect((await w.api.post(`/union/api/grievances/${id}/route`).set(auth).send({ path: 'policy' })).status, `${who}: route`).to.equal(
        404,
      );
      const inbox = await w.api.get('/union/api/grievances/inbox?scope=all').set(auth);
      if (inbox.status === 200)
        expect(
          inbox.body.items.map((i: { id: number }) => i.id),
          who,
        ).not.to.include(id);
    }
    expect(await w.db('union_grievance_history').where({ grievance_id: id }).pluck('action')).to.deep.equal(['file']);
    for (const auth of [emp(), staff(), chair()]) await w.api.get(`/union/api/grievances/${id}`).set(auth).expect(200);
    await w.api.get(`/union/grievances/${id}`).set(staff()).expect(200);
  });

  it('every read by staff is logged and the chair can see the log; the filer’s own reads are not staff reads', async () => {
    const id = await file({ category: 'wages_benefits', content: '读取记录' });
    await w.api.get(`/union/api/grievances/${id}`).set(emp()).expect(200);
    await w.api.get(`/union/api/grievances/${id}`).set(staff()).expect(200);
    await w.api.get(`/union/grievances/${id}`).set(staff()).expect(200);
    await w.api.get(`/union/api/grievances/${id}`).set(chair()).expect(200);
    await w.api
      .get(`/union/api/grievances/${id}`)
      .set(bearer(w.token('E000002')))
      .expect(404);
    const log = await w.api.get(`/union/api/grievances/${id}/reads`).set(chair()).expect(200);
    expect(log.body.items.map((r: { readerId: string; relation: string }) => [r.readerId, r.relation])).to.deep.equal([
      ['u_staff', 'assignee'],
      ['u_staff', 'assignee'],
      ['u_chair', 'chair'],
    ]);
    await w.api.get(`/union/api/grievances/${id}/reads`).set(staff()).expect(403);
  });

  it('an anonymous filer is hidden from the handling staff (case, history, inbox, page, notices, stats) and shown to the chair', async () => {
    const id = await file({ category: 'wages_benefits', content: '班组长克扣工时', anonymous: true });
    await w.api.post(`/union/api/grievances/${id}/route`).set(staff()).send({ path: 'coordinated' }).expect(200);
    await w.api.post(`/union/api/grievances/${id}/request-info`).set(staff()).send({ note: '哪几天？' }).expect(200);
    await w.api.post(`/union/api/grievances/${id}/supply`).set(emp()).send({ note: '11月3日至7日' }).expect(200);
    const secrets = ['u_emp', '王小明', 'DEMO-EMP'];
    const person = await w.db('host_employees').where({ id: 'u_emp' }).first();
    if (person.phone) secrets.push(person.phone);
    const reveals = (v: unknown) => secrets.filter((s) => JSON.stringify(v).includes(s));

    const seen = await w.api.get(`/union/api/grievances/${id}`).set(staff()).expect(200);
    expect(seen.body).to.include({ anonymous: true, filer: null, filerId: null, departmentId: null });
    expect(seen.body.history.find((h: { action: string }) => h.action === 'supply')).to.include({
      by: 'filer',
      actorId: null,
      actorName: null,
    });
    expect(reveals(seen.body)).to.deep.equal([]);
    // The inbox also lists other people's named cases; this one's entry says nothing about its filer.
    const inbox = (await w.api.get('/union/api/grievances/inbox').set(staff()).expect(200)).body.items;
    const entry = inbox.find((i: { id: number }) => i.id === id);
    expect(entry).to.include({ anonymous: true, filerId: null });
    expect(reveals(entry)).to.deep.equal([]);
    expect(reveals((await w.api.get(`/union/grievances/${id}`).set(staff()).expect(200)).text)).to.deep.equal([]);
    const toStaff = w.notify.getCalls().filter((c) => c.args[0].to.includes('u_staff'));
    expect(toStaff).to.have.length.greaterThan(0);
    expect(reveals(toStaff.map((c) => c.args[0]))).to.deep.equal([]);
    expect(reveals((await w.api.get('/union/api/stats/grievances').set(chair()).expect(200)).body)).to.deep.equal([]);

    const chairView = await w.api.get(`/union/api/grievances/${id}`).set(chair()).expect(200);
    expect(chairView.body.filer).to.include({ id: 'u_emp', name: '王小明' });
    expect(chairView.body.departmentId).to.equal('D01');
    expect((await w.api.get(`/union/grievances/${id}`).set(chair()).expect(200)).text).to.contain('王小明');
    const own = await w.api.get(`/union/api/grievances/${id}`).set(emp()).expect(200);
    expect(own.body.filer).to.include({ id: 'u_emp' });
  });

  it('a case that is not anonymous shows the filer to the assignee', async () => {
    const id = await file({ category: 'wages_benefits', content: '实名' });
    const seen = await w.api.get(`/union/api/grievances/${id}`).set(staff()).expect(200);
    expect(seen.body.filer).to.include({ id: 'u_emp', name: '王小明' });
  });

  it('hostile text renders as text on the case page and in the list', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}';
    const id = await file({ category: 'other', content: evil, concerns: '"><svg onload=alert(3)>' });
    for (const path of [`/union/grievances/${id}`, '/union/grievances']) {
      const html = (await w.api.get(path).set(emp()).expect(200)).text;
      expect(html).not.to.contain('<script>alert(1)');
      expect(html).not.to.contain('<img src=x');
      expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
      if (path !== '/union/grievances') expect(html).not.to.contain('<svg onload');
    }
  });
});
