import { expect } from 'chai';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

/**
 * One company, one branch union (销售分会, department D05) under the primary union, and a caller for each
 * role: employee, the root's staff, branch staff (by department, and by assignment), the root's chair, the
 * branch chair, the module administrator, and someone the HR system does not know.
 */
describe('scoped staff: a branch sees its subtree, the root sees all', () => {
  let w: World;
  let branch: number;
  const d05: string[] = []; // members in the branch
  const d06: string[] = []; // members in the primary union
  const who: Record<string, string> = {};
  const as = (role: string) => bearer(w.token(who[role], ['employee']));
  const ids = (items: Array<{ employeeId: string }>) => items.map((i) => i.employeeId).sort();
  const csvIds = (text: string) =>
    text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[2]);

  before(async () => {
    w = await makeWorld({ employees: 80 });
    const admin = bearer(w.token('admin', ['admin']));
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    for (const [dept, list] of [
      ['D05', d05],
      ['D05', d05],
      ['D06', d06],
      ['D06', d06],
    ] as const) {
      const { body } = await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '范围测试', departmentId: dept, gender: 'F', birthDate: '1990-01-01', hireDate: TODAY })
        .expect(201);
      list.push(body.id);
    }
    const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id as number;
    branch = (await w.api.post('/union/api/orgs').set(chair).send({ name: '销售分会', parentId: root, level: 'branch' }).expect(201)).body
      .id;
    await w.api
      .put(`/union/api/orgs/${branch}/departments`)
      .set(chair)
      .send({ departmentIds: ['D05'] })
      .expect(200);
    await w.api.post('/union/api/sync/runs').set(chair).expect(201);

    const seeded = async (dept: string, skip: number) =>
      (
        await w
          .db('host_employees')
          .where({ department_id: dept, status: 'employed' })
          .where('id', 'like', 'E%')
          .orderBy('id')
          .offset(skip)
          .first('id')
      ).id as string;
    who.employee = 'u_emp';
    who.rootStaff = 'u_staff';
    who.rootChair = 'u_chair';
    who.admin = 'admin';
    who.stranger = 'nobody-in-hr';
    who.branchStaff = await seeded('D05', 0); // no assignment: their department's org
    who.assignedStaff = await seeded('D01', 0); // works in a root department, assigned to the branch
    who.branchChair = await seeded('D05', 1);
    await w.db('host_user_roles').insert([
      { user_id: who.branchStaff, role: 'union_staff' },
      { user_id: who.assignedStaff, role: 'union_staff' },
      { user_id: who.branchChair, role: 'union_chair' },
    ]);
    await w.api
      .put(`/union/api/orgs/${branch}/officers`)
      .set(chair)
      .send({
        officers: [
          { employeeId: who.assignedStaff, role: 'staff' },
          { employeeId: who.branchChair, role: 'chair' },
        ],
      })
      .expect(200);
  });
  after(async () => w.close());

  it('the ledger list and its export: root staff, chair and admin see all; branch staff and chair their branch; others nothing', async () => {
    const all = [...d05, ...d06].sort();
    for (const role of ['rootStaff', 'rootChair', 'admin']) {
      expect(ids((await w.api.get('/union/api/members?limit=500').set(as(role)).expect(200)).body.items)).to.deep.equal(all, role);
    }
    for (const role of ['branchStaff', 'assignedStaff', 'branchChair']) {
      expect(ids((await w.api.get('/union/api/members?limit=500').set(as(role)).expect(200)).body.items)).to.deep.equal(
        [...d05].sort(),
        role,
      );
      const csv = await w.api.get('/union/api/members/export?format=csv').set(as(role)).expect(200);
      const numbers = (await w.db('host_employees').whereIn('id', d05).pluck('employee_no')) as string[];
      expect(csvIds(csv.text).sort()).to.deep.equal(numbers.sort(), `${role} exports the branch only`);
      // An org filter cannot reach outside the scope either.
      const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id;
      expect((await w.api.get(`/union/api/members?orgId=${root}`).set(as(role)).expect(200)).body.items).to.deep.equal([]);
    }
    const csvAll = await w.api.get('/union/api/members/export?format=csv').set(as('rootStaff')).expect(200);
    expect(csvIds(csvAll.text)).to.have.length(all.length);
    for (const role of ['employee', 'stranger']) {
      await w.api.get('/union/api/members').set(as(role)).expect(403);
      await w.api.get('/union/api/members/export').set(as(role)).expect(403);
    }
  });

  it('member detail and record: outside the scope is 404, inside 200, for API and page alike', async () => {
    for (const role of ['branchStaff', 'assignedStaff', 'branchChair']) {
      await w.api.get(`/union/api/members/${d06[0]}`).set(as(role)).expect(404);
      await w.api.get(`/union/api/members/${d06[0]}/detail`).set(as(role)).expect(404);
      await w.api.get(`/union/members/${d06[0]}`).set(as(role)).expect(404);
      await w.api.get(`/union/api/members/${d05[0]}/detail`).set(as(role)).expect(200);
      await w.api.get(`/union/members/${d05[0]}`).set(as(role)).expect(200);
    }
    for (const role of ['rootStaff', 'rootChair', 'admin'])
      await w.api.get(`/union/api/members/${d06[0]}/detail`).set(as(role)).expect(200);
    await w.api.get(`/union/api/members/${d06[0]}`).set(as('employee')).expect(404);
    await w.api.get(`/union/api/members/${d06[0]}/detail`).set(as('employee')).expect(403);
    await w.api.get(`/union/api/members/${d06[0]}`).set(as('stranger')).expect(404);
    await w.api
      .get(`/union/api/members/${d06[0]}`)
      .set(bearer(w.token(d06[0])))
      .expect(200);
  });

  it('coverage: the branch sees its departments and its org only', async () => {
    const root = (await w.api.get('/union/api/stats/coverage').set(as('rootStaff')).expect(200)).body;
    expect(root.byDepartment.map((d: { departmentId: string }) => d.departmentId)).to.include.members(['D05', 'D06', 'D01']);
    for (const role of ['branchStaff', 'branchChair']) {
      const c = (await w.api.get('/union/api/stats/coverage').set(as(role)).expect(200)).body;
      expect(c.byDepartment.map((d: { departmentId: string }) => d.departmentId)).to.deep.equal(['D05']);
      expect(c.byOrg.map((o: { orgId: number }) => o.orgId)).to.deep.equal([branch]);
      expect(c.members).to.equal(d05.length);
    }
    await w.api.get('/union/api/stats/coverage').set(as('employee')).expect(403);
  });

  it('applications: the branch lists and decides its own applicants; another org’s application is 404', async () => {
    const d05Applicant = (
      await w
        .db('union_employees')
        .where({ department_id: 'D05' })
        .whereNotIn('employee_id', [...d05, who.branchStaff, who.branchChair])
        .first('employee_id')
    ).employee_id;
    const mine = (
      await w.api
        .post('/union/api/join-applications')
        .set(bearer(w.token(d05Applicant)))
        .send({ consent: true })
        .expect(201)
    ).body.id;
    const other = (await w.api.post('/union/api/join-applications').set(as('employee')).send({ consent: true }).expect(201)).body.id;
    const listed = (await w.api.get('/union/api/join-applications').set(as('branchStaff')).expect(200)).body.items;
    expect(listed.map((a: { id: number }) => a.id)).to.deep.equal([mine]);
    const rootListed = (await w.api.get('/union/api/join-applications').set(as('rootStaff')).expect(200)).body.items;
    expect(rootListed.map((a: { id: number }) => a.id)).to.deep.equal([mine, other]);
    await w.api.post(`/union/api/join-applications/${other}/approve`).set(as('branchStaff')).expect(404);
    await w.api.post(`/union/api/join-applications/${other}/reject`).set(as('branchChair')).send({ reason: 'x' }).expect(404);
    expect((await w.db('union_join_applications').where({ id: other }).first()).status).to.equal('submitted');
    await w.api.post(`/union/api/join-applications/${mine}/approve`).set(as('branchStaff')).expect(200);
    await w.api.get('/union/api/join-applications').set(as('employee')).expect(403);
  });

  it('invitations: candidates, invites and reminders stay inside the branch', async () => {
    const c = (await w.api.get('/union/api/invitations/candidates?limit=500').set(as('branchStaff')).expect(200)).body;
    const depts = await w
      .db('union_employees')
      .whereIn(
        'employee_id',
        c.items.map((i: { employeeId: string }) => i.employeeId),
      )
      .distinct()
      .pluck('department_id');
    expect(depts).to.deep.equal(['D05']);
    expect(c.total).to.be.greaterThan(0);
    const wrong = await w.api
      .post('/union/api/invitations')
      .set(as('branchStaff'))
      .send({ employeeIds: ['u_emp'] })
      .expect(400);
    expect(wrong.body.error.details[0].path).to.equal('body.employeeIds');
    const sent = (await w.api.post('/union/api/invitations').set(as('branchStaff')).send({ all: true }).expect(201)).body;
    expect(sent.invited).to.equal(c.total);
    await w.api
      .post('/union/api/invitations')
      .set(as('rootStaff'))
      .send({ employeeIds: ['u_emp'] })
      .expect(201);
    w.clock.tick(3 * 86_400_000 + 60_000); // past the waiting period before a reminder (reminderWaitDays)
    // The page's remind button counts what this caller may remind: the branch's, not the root's invitation too.
    const page = await w.api.get('/union/invitations').set(as('branchStaff')).expect(200);
    expect(/invitations\/remind"[^>]*data-count="(\d+)"/.exec(page.text)![1]).to.equal(String(c.total));
    const rootPage = await w.api.get('/union/invitations').set(as('rootStaff')).expect(200);
    const allSent = Number((await w.db('union_invitations').where({ status: 'sent' }).count({ n: '*' }).first())!.n);
    expect(allSent).to.be.greaterThan(c.total);
    expect(/invitations\/remind"[^>]*data-count="(\d+)"/.exec(rootPage.text)![1]).to.equal(String(allSent));
    const reminded = (await w.api.post('/union/api/invitations/remind').set(as('branchStaff')).send({}).expect(200)).body;
    expect(reminded.reminded).to.equal(c.total, 'u_emp, invited by the root, is not reminded by the branch');
    expect((await w.db('union_invitations').where({ employee_id: 'u_emp' }).first()).reminders).to.equal(0);
    await w.api.get('/union/api/invitations/candidates').set(as('employee')).expect(403);
  });

  it('hand-set status and org management: the branch chair acts inside the branch only', async () => {
    const res = await w.api
      .post(`/union/api/members/${d06[0]}/status`)
      .set(as('branchChair'))
      .send({ status: 'expired', reason: '测试' })
      .expect(404);
    expect(res.body.error.code).to.equal('not_found');
    expect((await w.db('union_memberships').where({ employee_id: d06[0] }).first()).status).to.equal('active');
    await w.api
      .post(`/union/api/members/${d05[1]}/status`)
      .set(as('branchChair'))
      .send({ status: 'expired', reason: '测试', until: '2026-12-31' })
      .expect(200);
    const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id;
    await w.api.put(`/union/api/orgs/${root}/officers`).set(as('branchChair')).send({ officers: [] }).expect(404);
    const steal = await w.api
      .put(`/union/api/orgs/${branch}/departments`)
      .set(as('branchChair'))
      .send({ departmentIds: ['D06'] })
      .expect(400);
    expect(steal.body.error.details[0].path).to.equal('body.departmentIds');
    await w.api.post('/union/api/orgs').set(as('branchChair')).send({ name: '一组', parentId: root, level: 'group' }).expect(400);
    await w.api.post('/union/api/orgs').set(as('branchChair')).send({ name: '一组', parentId: branch, level: 'group' }).expect(201);
  });

  it('officers: the chair assigns them with one audit row; staff may not; unknown people are named', async () => {
    const chair = as('rootChair');
    const before = await w.db('union_audit').where({ action: 'org.set_officers' }).count({ n: '*' }).first();
    const bad = await w.api
      .put(`/union/api/orgs/${branch}/officers`)
      .set(chair)
      .send({ officers: [{ employeeId: 'ghost', role: 'staff' }] })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.officers.0.employeeId');
    const role = await w.api
      .put(`/union/api/orgs/${branch}/officers`)
      .set(chair)
      .send({ officers: [{ employeeId: 'u_staff', role: 'boss' }] })
      .expect(400);
    expect(role.body.error.details[0].path).to.match(/^body\.officers\.0\.role/);
    await w.api.put(`/union/api/orgs/${branch}/officers`).set(as('rootStaff')).send({ officers: [] }).expect(403);
    const list = (await w.api.get(`/union/api/orgs/${branch}/officers`).set(chair).expect(200)).body.items;
    await w.api.put(`/union/api/orgs/${branch}/officers`).set(chair).send({ officers: list }).expect(200);
    const after = await w.db('union_audit').where({ action: 'org.set_officers' }).count({ n: '*' }).first();
    expect(Number(after!.n) - Number(before!.n)).to.equal(1);
    expect(list).to.deep.include({ employeeId: who.branchChair, role: 'chair' });
  });

  it('the orgs page lists each org’s officers and the chair sets them from a form', async () => {
    const chair = as('rootChair');
    const page = await w.api.get('/union/orgs').set(chair).expect(200);
    const name = (await w.db('host_employees').where({ id: who.branchChair }).first('name')).name;
    expect(page.text).to.contain(name);
    await w.api
      .post(`/union/orgs/${branch}/officers`)
      .type('form')
      .set(chair)
      .send({ chairIds: who.branchChair, staffIds: `${who.assignedStaff}, ${who.branchStaff}` })
      .expect(303);
    const rows = await w.db('union_org_officers').where({ org_id: branch }).orderBy('employee_id').select('employee_id', 'role');
    expect(rows).to.have.deep.members([
      { employee_id: who.branchChair, role: 'chair' },
      { employee_id: who.assignedStaff, role: 'staff' },
      { employee_id: who.branchStaff, role: 'staff' },
    ]);
    const bad = await w.api.post(`/union/orgs/${branch}/officers`).type('form').set(chair).send({ chairIds: 'ghost' });
    expect(bad.status).to.equal(400);
    expect(await w.db('union_org_officers').where({ org_id: branch })).to.have.length(3);
  });

  it('union-wide work (ledger import, sync with HR) is for the root’s staff, not a branch’s', async () => {
    for (const role of ['branchStaff', 'assignedStaff', 'branchChair']) {
      const me = (await w.api.get('/union/api/me').set(as(role)).expect(200)).body;
      expect(me.permissions).to.include('union.members.read').and.not.include('union.sync.run').and.not.include('union.import.run');
      await w.api.post('/union/api/sync/runs').set(as(role)).expect(403);
      await w.api.get('/union/imports').set(as(role)).expect(403);
    }
    const runs = await w.db('union_reconcile_runs').count({ n: '*' }).first();
    await w.api.get('/union/api/sync/runs').set(as('rootStaff')).expect(200);
    await w.api.get('/union/imports').set(as('rootStaff')).expect(200);
    expect(Number((await w.db('union_reconcile_runs').count({ n: '*' }).first())!.n)).to.equal(Number(runs!.n));
  });
});
