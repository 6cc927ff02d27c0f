import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';
import { escalateOverdue } from '../../plugin/services/grievances/overdue';

/**
 * The chair's statistics by union org and department, within the chair's scope; the owner of a
 * rectification item; and the chair's page when the host cannot list people by role.
 */
describe('grievances: statistics by org, rectification owners, the routing notice', () => {
  let w: World;
  let branch: number;
  let root: number;
  let branchChair: string;
  let d05: string[];
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const asBranchChair = () => bearer(w.token(branchChair, ['employee']));
  const file = async (who: string, category: string) =>
    (
      await w.api
        .post('/union/api/grievances')
        .set(bearer(w.token(who)))
        .send({ category, content: `来自 ${who}` })
        .expect(201)
    ).body.id as number;

  before(async () => {
    w = await makeWorld({ employees: 60 });
    root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id as number;
    branch = (await w.api.post('/union/api/orgs').set(chair()).send({ name: '销售分会', parentId: root, level: 'branch' }).expect(201)).body
      .id;
    await w.api
      .put(`/union/api/orgs/${branch}/departments`)
      .set(chair())
      .send({ departmentIds: ['D05'] })
      .expect(200);
    d05 = await w
      .db('host_employees')
      .where({ department_id: 'D05', status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .pluck('id');
    branchChair = d05[0];
    await w.db('host_user_roles').insert({ user_id: branchChair, role: 'union_chair' });
    await w.api
      .put(`/union/api/orgs/${branch}/officers`)
      .set(chair())
      .send({ officers: [{ employeeId: branchChair, role: 'chair' }] })
      .expect(200);
    // Three from the branch's department (a repeat), two from the primary union's D01.
    for (const who of [d05[1], d05[2], d05[1]]) await file(who, 'leave_shifts');
    await file('u_emp', 'wages_benefits');
    await file('u_emp', 'other');
  });
  after(async () => w.close());

  it('the whole union’s chair sees the totals broken down by org and by department', async () => {
    const { body } = await w.api.get('/union/api/stats/grievances').set(chair()).expect(200);
    expect(body.total).to.equal(5);
    expect(body.byOrg.map((o: { orgId: number; count: number }) => [o.orgId, o.count])).to.deep.equal([
      [branch, 3],
      [root, 2],
    ]);
    expect(body.byOrg[0]).to.include({ name: '销售分会', resolutionRate: 0 });
    expect(body.byDepartment.map((d: { departmentId: string; count: number }) => [d.departmentId, d.count])).to.deep.equal([
      ['D05', 3],
      ['D01', 2],
    ]);
    const page = await w.api.get('/union/grievances/stats').set(chair()).expect(200);
    expect(page.text).to.contain('data-testid="stats-by-org"').and.to.contain('销售分会');
  });

  it('a branch’s chair sees only the branch: its org, its departments, its totals, its rectification items', async () => {
    const { body } = await w.api.get('/union/api/stats/grievances').set(asBranchChair()).expect(200);
    expect(body.total).to.equal(3);
    expect(body.byOrg.map((o: { orgId: number }) => o.orgId)).to.deep.equal([branch]);
    expect(body.byDepartment.map((d: { departmentId: string }) => d.departmentId)).to.deep.equal(['D05']);
    expect(body.byCategory.map((c: { category: string }) => c.category)).to.deep.equal(['leave_shifts']);
    const other = await w.api.get('/union/api/stats/grievances?departmentId=D01').set(asBranchChair()).expect(200);
    expect(other.body.total).to.equal(0);
    const page = (await w.api.get('/union/grievances/stats').set(asBranchChair()).expect(200)).text;
    expect(page).to.contain('销售分会');
    expect(page).not.to.contain('工资福利');
    const items = (await w.api.get('/union/api/grievances/rectifications').set(asBranchChair()).expect(200)).body.items;
    expect(items.map((i: { departmentId: string }) => i.departmentId)).to.deep.equal(['D05']);
  });

  it('a branch’s chair oversees the branch’s cases only: another branch’s case is 404 to them, as to any outsider', async () => {
    const [branchCase] = await w.db('union_grievances').where({ department_id: 'D05' }).orderBy('id').pluck('id');
    const [rootCase] = await w.db('union_grievances').where({ department_id: 'D01' }).orderBy('id').pluck('id');
    await w.api.get(`/union/api/grievances/${branchCase}`).set(asBranchChair()).expect(200);
    await w.api.get(`/union/api/grievances/${rootCase}`).set(asBranchChair()).expect(404);
    await w.api.get(`/union/grievances/${rootCase}`).set(asBranchChair()).expect(404);
    await w.api.post(`/union/api/grievances/${rootCase}/updates`).set(asBranchChair()).send({ note: 'x' }).expect(404);
    await w.api.get(`/union/api/grievances/${rootCase}`).set(chair()).expect(200);
    const all = (await w.api.get('/union/api/grievances/inbox?scope=all').set(asBranchChair()).expect(200)).body.items;
    expect(all.map((i: { id: number }) => i.id))
      .to.include(branchCase)
      .and.not.to.include(rootCase);
    expect(await w.db('union_grievance_reads').where({ grievance_id: rootCase, reader_id: branchChair })).to.have.length(0);
  });

  it('an overdue case is escalated to the chairs who oversee it: a branch case to both chairs, a root case to the root’s chair only', async () => {
    const [branchCase] = await w.db('union_grievances').where({ department_id: 'D05' }).orderBy('id').pluck('id');
    const [rootCase] = await w.db('union_grievances').where({ department_id: 'D01' }).orderBy('id').pluck('id');
    await w
      .db('union_grievances')
      .whereIn('id', [branchCase, rootCase])
      .update({ due_date: '2026-11-02', due_at: '2026-11-02 15:59:59.999', escalation_level: 0 });
    w.notify.resetHistory();
    expect(await escalateOverdue(w.plugin.ctx)).to.deep.include({ chair: 2 });
    const toChairs = (id: number) =>
      w.notify
        .getCalls()
        .filter((c) => c.args[0].template === 'union.grievance.overdueChair' && c.args[0].link === `/union/grievances/${id}`)
        .flatMap((c) => c.args[0].to as string[])
        .sort();
    expect(toChairs(branchCase)).to.deep.equal([branchChair, 'u_chair'].sort());
    expect(toChairs(rootCase)).to.deep.equal(['u_chair']);
  });

  it('the chair names and changes a rectification item’s owner: history, audit, the owner told; others refused', async () => {
    const [item] = (await w.api.get('/union/api/grievances/rectifications').set(chair()).expect(200)).body.items;
    expect(item).to.include({ departmentId: 'D05', category: 'leave_shifts', ownerId: null });
    const url = `/union/api/grievances/rectifications/${item.id}/owner`;
    await w.api.put(url).set(staff()).send({ ownerId: 'u_staff' }).expect(403);
    const nobody = await w.api.put(url).set(chair()).send({ ownerId: 'nobody-in-hr' }).expect(400);
    expect(nobody.body.error.details[0].path).to.equal('body.ownerId');
    const bad = await w.api.put(url).set(chair()).send({ ownerId: 'u_staff', nextCheckpoint: '2026-13-01' }).expect(400);
    expect(bad.body.error.details[0].path).to.contain('nextCheckpoint');
    expect(await w.db('union_grievance_rectification_history')).to.have.length(0);

    w.notify.resetHistory();
    const first = await w.api.put(url).set(chair()).send({ ownerId: 'u_staff', note: '排班制度整改' }).expect(200);
    expect(first.body).to.include({ ownerId: 'u_staff', nextCheckpoint: '2026-12-31' });
    expect(w.notify.calledWithMatch({ to: ['u_staff'], template: 'union.grievance.rectificationOwner' })).to.equal(true);
    await w.api.put(url).set(chair()).send({ ownerId: 'u_staff' }).expect(400);
    const second = await w.api.put(url).set(chair()).send({ ownerId: branchChair, nextCheckpoint: '2026-12-15' }).expect(200);
    expect(
      second.body.history.map((h: { fromOwner: string | null; toOwner: string; nextCheckpoint: string }) => [
        h.fromOwner,
        h.toOwner,
        h.nextCheckpoint,
      ]),
    ).to.deep.equal([
      [null, 'u_staff', '2026-12-31'],
      ['u_staff', branchChair, '2026-12-15'],
    ]);
    expect(
      await w
        .db('union_audit')
        .where({ entity: 'grievance_rectification', entity_id: String(item.id) })
        .pluck('action'),
    ).to.deep.equal(['grievance.rectification.owner', 'grievance.rectification.owner']);
    const [listed] = (await w.api.get('/union/api/grievances/rectifications').set(chair()).expect(200)).body.items;
    expect(listed).to.include({ ownerId: branchChair, nextCheckpoint: '2026-12-15' });
    // The branch's chair reaches their own item; an item of another branch would be 404 (scope).
    await w.api.put(url).set(asBranchChair()).send({ ownerId: 'u_staff' }).expect(200);
    const page = (await w.api.get('/union/grievances/stats').set(chair()).expect(200)).text;
    expect(page).to.contain(`data-testid="set-owner-${item.id}"`);
  });

  it('an item outside a branch chair’s scope is 404 to them', async () => {
    await w.db('union_grievance_rectifications').insert({
      quarter: '2026-Q4',
      category: 'other',
      department_id: 'D01',
      cases: 3,
      next_checkpoint: '2026-12-31',
      listed_at: '2026-11-23 00:00:00.000',
    });
    const id = (await w.db('union_grievance_rectifications').where({ department_id: 'D01' }).first('id')).id;
    await w.api.put(`/union/api/grievances/rectifications/${id}/owner`).set(asBranchChair()).send({ ownerId: 'u_staff' }).expect(404);
    await w.api.put(`/union/api/grievances/rectifications/${id}/owner`).set(chair()).send({ ownerId: 'u_staff' }).expect(200);
  });

  it('a host without withRole: the chair’s page says so and names the categories that fall to the chair', async () => {
    const plain = await w.api.get('/union/grievances/stats').set(chair()).expect(200);
    expect(plain.text).not.to.contain('data-testid="routing-notice"');
    const employees = w.plugin.ctx.host.employees as { withRole?: unknown };
    const withRole = employees.withRole;
    try {
      delete employees.withRole;
      const page = await w.api.get('/union/grievances/stats').set(chair()).expect(200);
      expect(page.text).to.contain('data-testid="routing-notice"');
      expect(page.text).to.contain('人事系统未提供').and.to.contain('工资福利');
      // Nobody is named, no role list, no chair set: filing in such a category is refused, not silently lost.
      const refused = await w.api
        .post('/union/api/grievances')
        .set(bearer(w.token('u_emp')))
        .send({ category: 'wages_benefits', content: 'x' })
        .expect(409);
      expect(refused.body.error.details[0].path).to.equal('assigneeId');
    } finally {
      employees.withRole = withRole;
    }
  });
});
