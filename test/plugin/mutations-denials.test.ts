import { expect } from 'chai';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

/** What a plain employee must not reach, each asserted with its effect (nothing shown, nothing started). */
describe('an employee is refused staff reads and actions', () => {
  let w: World;
  let other: string;
  const emp = () => bearer(w.token('u_emp'));
  before(async () => {
    w = await makeWorld();
    other = (
      await w.api
        .post('/hr/api/employees')
        .set(bearer(w.token('admin', ['admin'])))
        .send({ name: '别人', departmentId: 'D02', gender: 'F', birthDate: '1992-02-02', hireDate: TODAY })
        .expect(201)
    ).body.id;
  });
  after(async () => w.close());

  it("reading someone else's membership is 404 and shows nothing of it", async () => {
    const res = await w.api.get(`/union/api/members/${other}`).set(emp()).expect(404);
    expect(JSON.stringify(res.body)).to.not.match(/GH2026|memberNo/);
    expect((await w.api.get(`/union/api/members/${other}`).set(bearer(w.token(other)))).status).to.equal(200);
  });

  it('member detail: 403 for the API and the page', async () => {
    await w.api.get(`/union/api/members/${other}/detail`).set(emp()).expect(403);
    await w.api.get(`/union/members/${other}`).set(emp()).expect(403);
  });

  it('the ledger, its export and the ledger page: 403', async () => {
    await w.api.get('/union/api/members').set(emp()).expect(403);
    const csv = await w.api.get('/union/api/members/export?format=csv').set(emp()).expect(403);
    expect(csv.headers['content-disposition']).to.equal(undefined);
    await w.api.get('/union/api/members/export?format=xlsx').set(emp()).expect(403);
    await w.api.get('/union/members').set(emp()).expect(403);
  });

  it('invitation candidates, invitations and reminders: 403, nobody invited', async () => {
    await w.api.get('/union/api/invitations/candidates').set(emp()).expect(403);
    await w.api.get('/union/invitations').set(emp()).expect(403);
    await w.api.post('/union/api/invitations').set(emp()).send({ all: true }).expect(403);
    await w.api.post('/union/api/invitations/remind').set(emp()).send({}).expect(403);
    expect(await w.db('union_invitations')).to.have.length(0);
  });

  it('sync runs: 403 to start or read, and no run is started', async () => {
    const before = await w.db('union_reconcile_runs').count({ n: '*' }).first();
    await w.api.post('/union/api/sync/runs').set(emp()).expect(403);
    await w.api.get('/union/api/sync/runs').set(emp()).expect(403);
    await w.api.get('/union/sync').set(emp()).expect(403);
    const after = await w.db('union_reconcile_runs').count({ n: '*' }).first();
    expect(Number(after!.n)).to.equal(Number(before!.n));
  });

  it('coverage: 403 for the API and the page', async () => {
    await w.api.get('/union/api/stats/coverage').set(emp()).expect(403);
    await w.api.get('/union/coverage').set(emp()).expect(403);
  });

  it('setting a status by hand, approving, and managing orgs: 403, nothing written', async () => {
    await w.api.post(`/union/api/members/${other}/status`).set(emp()).send({ status: 'expired', reason: 'x' }).expect(403);
    await w.api.get('/union/api/join-applications').set(emp()).expect(403);
    await w.api
      .put('/union/api/orgs/1/officers')
      .set(emp())
      .send({ officers: [{ employeeId: 'u_emp', role: 'chair' }] })
      .expect(403);
    expect((await w.db('union_memberships').where({ employee_id: other }).first()).status).to.equal('active');
    expect(await w.db('union_org_officers')).to.have.length(0);
    expect(await w.db('union_audit').where({ actor: 'u_emp' })).to.have.length(0);
  });
});
