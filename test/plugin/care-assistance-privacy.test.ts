import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/**
 * Assistance cases are read only by the applicant, the staff member on the case and the chair: everyone
 * else (another employee, other staff, a branch's staff, the module administrator) gets 404 as for a case
 * that does not exist, on the API, the page and every move; every read is logged for the chair.
 */
describe('care: hardship assistance confidentiality', () => {
  let w: World;
  let id: number;
  before(async () => {
    w = await makeWorld({ employees: 40, settings: { assistance: { handlerIds: ['u_staff'] } } });
    // Other union staff (like a branch union's staff) who are not on the case.
    await w.db('host_user_roles').insert({ user_id: 'E000003', role: 'union_staff' });
    id = (
      await w.api
        .post('/union/api/assistance-cases')
        .set(emp())
        .send({ category: 'family_emergency', description: '孩子突发重病，家庭收入中断' })
        .expect(201)
    ).body.id;
  });
  after(async () => w.close());

  function emp() {
    return bearer(w.token('u_emp'));
  }
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const outsiders = () => ({
    'another employee': bearer(w.token('E000002')),
    'union staff not on the case': bearer(w.token('E000003', ['employee', 'union_staff'])),
    'someone HR does not know': bearer(w.token('stranger')),
    'the module administrator': bearer(w.token('admin', ['employee', 'admin'])),
  });

  it('contract: 200 for the applicant and the chair, 404 for another employee and for staff not on the case', async () => {
    await w.api.get(`/union/api/assistance-cases/${id}`).set(emp()).expect(200);
    await w.api.get(`/union/api/assistance-cases/${id}`).set(chair()).expect(200);
    await w.api.get(`/union/api/assistance-cases/${id}`).set(staff()).expect(200);
    await w.api
      .get(`/union/api/assistance-cases/${id}`)
      .set(bearer(w.token('E000002')))
      .expect(404);
    await w.api
      .get(`/union/api/assistance-cases/${id}`)
      .set(bearer(w.token('E000003', ['employee', 'union_staff'])))
      .expect(404);
  });

  it('everyone else gets the same 404 as for a missing case, on the API, the page, every move and the lists', async () => {
    const missing = await w.api.get('/union/api/assistance-cases/999999').set(emp()).expect(404);
    const moves: Array<[string, object]> = [
      ['accept', {}],
      ['verify', { note: 'x' }],
      ['decide', { decision: 'reject', note: 'x' }],
      ['confirm', {}],
      ['pay', {}],
      ['follow-up', { note: 'x' }],
      ['review', { outcome: 'continue', note: 'x' }],
      ['withdraw', {}],
    ];
    for (const [who, auth] of Object.entries(outsiders())) {
      const api = await w.api.get(`/union/api/assistance-cases/${id}`).set(auth);
      expect(api.status, who).to.equal(404);
      expect(api.body.error.code, who).to.equal(missing.body.error.code);
      expect((await w.api.get(`/union/assistance/${id}`).set(auth)).status, `${who}: page`).to.equal(404);
      for (const [path, body] of moves) {
        const res = await w.api.post(`/union/api/assistance-cases/${id}/${path}`).set(auth).send(body);
        expect(res.status, `${who}: ${path}`).to.equal(404);
      }
      const resolve = await w.api
        .post(`/union/api/assistance-cases/${id}/objections/1/resolve`)
        .set(auth)
        .send({ outcome: 'dismissed', resolution: 'x' });
      expect(resolve.status, `${who}: resolve`).to.equal(404);
      for (const list of ['/union/api/assistance-cases/inbox?scope=all', '/union/api/assistance-cases/mine']) {
        const res = await w.api.get(list).set(auth);
        if (res.status === 200) expect(JSON.stringify(res.body), `${who}: ${list}`).not.to.contain('孩子突发重病');
      }
    }
    expect(await w.db('union_assistance_history').where({ case_id: id }).pluck('action')).to.deep.equal(['submit']);
    expect(await w.db('union_assistance_cases').where({ id }).first()).to.include({ status: 'submitted' });
  });

  it('every read is logged and the chair reads the log; nobody else may', async () => {
    const before = await w.db('union_assistance_reads').where({ case_id: id }).count({ n: '*' }).first();
    await w.api.get(`/union/api/assistance-cases/${id}`).set(staff()).expect(200);
    await w.api.get(`/union/assistance/${id}`).set(staff()).expect(200);
    await w.api.get(`/union/api/assistance-cases/${id}`).set(emp()).expect(200);
    await w.api
      .get(`/union/api/assistance-cases/${id}`)
      .set(bearer(w.token('E000002')))
      .expect(404);
    const log = (await w.api.get(`/union/api/assistance-cases/${id}/reads`).set(chair()).expect(200)).body.items;
    expect(log.slice(Number(before?.n)).map((r: { readerId: string; relation: string }) => [r.readerId, r.relation])).to.deep.equal([
      ['u_staff', 'handler'],
      ['u_staff', 'handler'],
      ['u_emp', 'applicant'],
    ]);
    await w.api.get(`/union/api/assistance-cases/${id}/reads`).set(staff()).expect(403);
    await w.api.get(`/union/api/assistance-cases/${id}/reads`).set(emp()).expect(403);
  });

  it('on notice, the public sees a masked name, department, category and amount only; the objector stays unnamed to the applicant', async () => {
    await w.api.post(`/union/api/assistance-cases/${id}/accept`).set(staff()).send({}).expect(200);
    await w.api.post(`/union/api/assistance-cases/${id}/verify`).set(staff()).send({ note: '入户核实：家中两名老人需照料' }).expect(200);
    await w.api
      .post(`/union/api/assistance-cases/${id}/decide`)
      .set(chair())
      .send({ decision: 'grant', kind: 'cash', amount: 1500, grade: 'sudden' })
      .expect(200);
    const page = (
      await w.api
        .get('/union/assistance/notices')
        .set(bearer(w.token('E000002')))
        .expect(200)
    ).text;
    expect(page).to.contain('王**').and.contain('1500.00');
    for (const secret of ['王小明', '孩子', '老人', '入户', 'u_emp', 'DEMO-EMP']) expect(page, secret).not.to.contain(secret);
    await w.api
      .post(`/union/api/assistance-notices/${id}/objections`)
      .set(bearer(w.token('E000002')))
      .send({ reason: '有疑问' })
      .expect(201);
    const objector = (await w.db('host_employees').where({ id: 'E000002' }).first()).name as string;
    const own = (await w.api.get(`/union/api/assistance-cases/${id}`).set(emp()).expect(200)).body;
    expect(JSON.stringify(own)).not.to.contain(objector);
    expect(own.objections[0]).to.include({ reason: '有疑问', raisedBy: null });
    const staffView = (await w.api.get(`/union/api/assistance-cases/${id}`).set(staff()).expect(200)).body;
    expect(staffView.objections[0].raisedBy).to.equal(objector);
    // The notification to the staff names the case and category, never the applicant.
    const toStaff = w.notify.getCalls().filter((c) => c.args[0].to.includes('u_staff'));
    expect(JSON.stringify(toStaff.map((c) => c.args[0]))).not.to.match(/王小明|孩子|u_emp/);
  });
});
