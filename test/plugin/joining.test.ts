import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { applyDue } from '../../plugin/jobs/apply-due';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

describe('joining: applications, approvals and batch invitations', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());
  const emp = (w: World) => bearer(w.token('u_emp'));
  const staff = (w: World) => bearer(w.token('u_staff', ['employee', 'union_staff']));

  it('an employee applies with voluntary consent; staff approve; the employee is told the member number', async () => {
    const noConsent = await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: false }).expect(400);
    expect(noConsent.body.error.details[0].path).to.equal('body.consent');
    const { body } = await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true, note: '希望参加活动' }).expect(201);
    await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true }).expect(409);
    await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(emp(w)).expect(403);

    const pending = await w.api.get('/union/api/join-applications').set(staff(w)).expect(200);
    expect(pending.body.items.map((i: { employeeId: string }) => i.employeeId)).to.deep.equal(['u_emp']);
    const approved = await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(200);
    expect(approved.body.memberNo).to.equal('GH20260001');
    expect(w.notify.calledWithMatch({ to: ['u_emp'], template: 'union.member.joined', data: { memberNo: 'GH20260001' } })).to.equal(true);

    const me = await w.api.get('/union/api/me').set(emp(w)).expect(200);
    expect(me.body.membership).to.include({ status: 'active', memberNo: 'GH20260001' });
    const m = await w.db('union_memberships').where({ employee_id: 'u_emp' }).first();
    const app = await w.db('union_join_applications').where({ id: body.id }).first();
    expect(m.consent_method).to.equal('application');
    expect(m.consent_at).to.equal(app.consent_at);
    await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(409);
  });

  it('a rejection needs a reason, and the employee is told', async () => {
    const { body } = await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true }).expect(201);
    const noReason = await w.api.post(`/union/api/join-applications/${body.id}/reject`).set(staff(w)).send({}).expect(400);
    expect(noReason.body.error.details[0].path).to.equal('body.reason');
    await w.api.post(`/union/api/join-applications/${body.id}/reject`).set(staff(w)).send({ reason: '信息不全' }).expect(200);
    expect(w.notify.calledWithMatch({ to: ['u_emp'], template: 'union.application.rejected' })).to.equal(true);
    await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true }).expect(201);
  });

  it('someone who has left cannot apply; a member who withdrew and re-joins keeps the number', async () => {
    const admin = bearer(w.token('admin', ['admin']));
    const { body } = await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true }).expect(201);
    const { memberNo } = (await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(200)).body;
    await w.api.post('/union/api/me/withdraw').set(emp(w)).send({ reason: '个人原因' }).expect(200);
    expect((await w.api.get('/union/api/me').set(emp(w))).body.membership.status).to.equal('withdrawn');
    const again = await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true }).expect(201);
    const second = await w.api.post(`/union/api/join-applications/${again.body.id}/approve`).set(staff(w)).expect(200);
    expect(second.body.memberNo).to.equal(memberNo);

    await w.api.post('/hr/api/employees/u_staff/exit').set(admin).send({ exitDate: TODAY, reason: 'resigned' }).expect(200);
    const refused = await w.api.post('/union/api/join-applications').set(staff(w)).send({ consent: true }).expect(409);
    expect(refused.body.error.details[0].path).to.equal('employeeId');
  });

  it('batch invite: staff see employed non-members by department, invite them all, remind, and track who joined', async () => {
    const candidates = await w.api.get('/union/api/invitations/candidates?departmentId=D01&limit=500').set(staff(w)).expect(200);
    const inD01 = await w.db('union_employees').where({ department_id: 'D01', status: 'employed' }).count({ n: '*' }).first();
    expect(candidates.body.total).to.equal(Number(inD01!.n));
    const sent = await w.api.post('/union/api/invitations').set(staff(w)).send({ all: true, departmentId: 'D01' }).expect(201);
    expect(sent.body.invited).to.equal(candidates.body.total);
    expect(w.notify.calledWithMatch({ template: 'union.member.invited' })).to.equal(true);
    // Nobody is reminded within the waiting period (3 days by default) of the invitation.
    expect((await w.api.post('/union/api/invitations/remind').set(staff(w)).send({}).expect(200)).body.reminded).to.equal(0);
    w.clock.tick(3 * 86400_000);
    const reminded = await w.api.post('/union/api/invitations/remind').set(staff(w)).send({}).expect(200);
    expect(reminded.body.reminded).to.equal(candidates.body.total);
    const one = candidates.body.items[0].employeeId;
    const appId = (
      await w.api
        .post('/union/api/join-applications')
        .set(bearer(w.token(one)))
        .send({ consent: true })
        .expect(201)
    ).body.id;
    await w.api.post(`/union/api/join-applications/${appId}/approve`).set(staff(w)).expect(200);
    expect(await w.db('union_invitations').where({ employee_id: one }).first()).to.include({ status: 'joined', reminders: 1 });
    const wrong = await w.api
      .post('/union/api/invitations')
      .set(staff(w))
      .send({ employeeIds: [one, 'nobody'] })
      .expect(400);
    expect(wrong.body.error.details[0].path).to.equal('body.employeeIds');
  });

  it('an administrator sets a status by hand until a date; afterwards the rules take over again', async () => {
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    await w.api.post('/union/api/members/u_emp/status').set(staff(w)).send({ status: 'active', reason: 'x' }).expect(403);
    const set = await w.api
      .post('/union/api/members/u_emp/status')
      .set(chair)
      .send({ status: 'active', reason: '补录会员', until: '2026-12-31', consentDate: '2026-11-20', consentRef: '入会申请书 2026-117' })
      .expect(200);
    expect(set.body).to.include({ status: 'active', memberNo: 'GH20260001' });
    await w.api
      .post('/union/api/members/u_emp/status')
      .set(chair)
      .send({ status: 'pending', reason: '待核实', until: '2026-12-31' })
      .expect(200);
    expect((await w.db('union_memberships').where({ employee_id: 'u_emp' }).first()).status).to.equal('pending', 'the override holds');
    w.clock.tick(40 * 86_400_000);
    await applyDue(w.plugin.ctx);
    const m = await w.db('union_memberships').where({ employee_id: 'u_emp' }).first();
    expect(m).to.include({ status: 'pending', override_status: null });
    const past = await w.api
      .post('/union/api/members/u_emp/status')
      .set(bearer(w.token('u_chair', ['employee', 'union_chair'])))
      .send({ status: 'active', reason: 'y', until: '2020-01-01' })
      .expect(400);
    expect(past.body.error.details[0].path).to.equal('body.until');
  });
});

describe('the member ledger and coverage', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ employees: 120 });
    const admin = bearer(w.token('admin', ['admin']));
    for (let i = 0; i < 12; i++) {
      await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: `新员工${i}`, departmentId: i % 2 ? 'D01' : 'D02', gender: 'F', birthDate: '1999-09-09', hireDate: TODAY })
        .expect(201);
    }
  });
  after(async () => w.close());
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));

  it('lists members with filters and keyset pages that cover everyone exactly once', async () => {
    const seen: string[] = [];
    let after = 0;
    for (;;) {
      const page = await w.api.get(`/union/api/members?limit=5&after=${after}`).set(staff()).expect(200);
      seen.push(...page.body.items.map((i: { employeeId: string }) => i.employeeId));
      if (!page.body.nextAfter) break;
      after = page.body.nextAfter;
    }
    expect(seen).to.have.length(12);
    expect(new Set(seen).size).to.equal(12);
    const d01 = await w.api.get('/union/api/members?departmentId=D01&status=active').set(staff()).expect(200);
    expect(d01.body.items).to.have.length(6);
    expect(d01.body.items[0].name).to.match(/^新员工/);
    const byNo = await w.api.get('/union/api/members?keyword=GH20260003').set(staff()).expect(200);
    expect(byNo.body.items.map((i: { memberNo: string }) => i.memberNo)).to.deep.equal(['GH20260003']);
    const byName = await w.api
      .get(`/union/api/members?keyword=${encodeURIComponent('新员工1')}`)
      .set(staff())
      .expect(200);
    expect(byName.body.items.map((i: { name: string }) => i.name).sort()).to.deep.equal(['新员工1', '新员工10', '新员工11']);
    const bad = await w.api.get('/union/api/members?joinedFrom=2026-13-01&status=zombie').set(staff()).expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members(['query.joinedFrom', 'query.status']);
    await w.api
      .get('/union/api/members')
      .set(bearer(w.token('u_emp')))
      .expect(403);
  });

  it('exports xlsx and csv with contact data from the host and ID numbers masked', async () => {
    // Contact data lives only in the host: give one member a phone and an ID number there.
    const memberIds = await w.db('union_memberships').pluck('employee_id');
    const target = await w.db('host_employees').where({ department_id: 'D02' }).whereIn('id', memberIds).first();
    await w.db('host_employees').where({ id: target.id }).update({ phone: '13912345678', id_number: '110101199909091234' });
    const xlsx = await w.api
      .get('/union/api/members/export?format=xlsx&departmentId=D02')
      .set(staff())
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]).to.include('会员编号').and.include('身份证号（脱敏）');
    expect(rows.length).to.equal(1 + 6);
    const row = rows.find((r) => r.includes(target.name))!;
    expect(row).to.include('13912345678');
    expect(row[row.length - 1]).to.equal('110101********1234');
    expect(JSON.stringify(rows)).to.not.contain('110101199909091234');
    const csv = await w.api.get('/union/api/members/export?format=csv').set(staff()).expect(200);
    expect(csv.text.charCodeAt(0)).to.equal(0xfeff);
    expect(csv.text.trim().split('\r\n')).to.have.length(13);
  });

  it('coverage is active members over employed employees, overall and per department', async () => {
    const c = await w.api.get('/union/api/stats/coverage').set(staff()).expect(200);
    const employed = await w.db('host_employees').where({ status: 'employed' }).count({ n: '*' }).first();
    expect(c.body.employed).to.equal(Number(employed!.n));
    expect(c.body.members).to.equal(12);
    expect(c.body.rate).to.be.closeTo(12 / Number(employed!.n), 0.0001);
    const d01 = c.body.byDepartment.find((d: { departmentId: string }) => d.departmentId === 'D01');
    expect(d01).to.include({ members: 6 });
    expect(d01.name).to.be.a('string').and.not.equal('D01');
    expect(d01.rate).to.be.closeTo(6 / d01.employed, 0.0001);
  });
});
