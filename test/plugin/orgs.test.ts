import { expect } from 'chai';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

describe('union orgs (基层工会 / 分会 / 小组)', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));

  it('the chair builds the tree and maps departments; the next sync moves their members (会籍接转)', async () => {
    const admin = bearer(w.token('admin', ['admin']));
    const ids: string[] = [];
    for (const dept of ['D05', 'D05', 'D06']) {
      ids.push(
        (
          await w.api
            .post('/hr/api/employees')
            .set(admin)
            .send({ name: '组织测试', departmentId: dept, gender: 'M', birthDate: '1990-01-01', hireDate: TODAY })
            .expect(201)
        ).body.id,
      );
    }
    const { items } = (await w.api.get('/union/api/orgs').set(chair()).expect(200)).body;
    const root = items.find((o: { parent_id: number | null }) => o.parent_id === null);
    expect(root).to.include({ level: 'primary' });
    const bad = await w.api.post('/union/api/orgs').set(chair()).send({ name: '', parentId: 999, level: 'primary' }).expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members(['body.name', 'body.level']);
    await w.api.post('/union/api/orgs').set(chair()).send({ name: '销售分会', parentId: 999, level: 'branch' }).expect(400);
    const branch = (
      await w.api.post('/union/api/orgs').set(chair()).send({ name: '销售分会', parentId: root.id, level: 'branch' }).expect(201)
    ).body.id;
    await w.api
      .put(`/union/api/orgs/${branch}/departments`)
      .set(chair())
      .send({ departmentIds: ['D05'] })
      .expect(200);
    await w.api.post('/union/api/sync/runs').set(chair()).expect(201);
    const orgOf = async (id: string) => (await w.db('union_memberships').where({ employee_id: id }).first()).org_id;
    expect(await orgOf(ids[0])).to.equal(branch);
    expect(await orgOf(ids[1])).to.equal(branch);
    expect(await orgOf(ids[2])).to.equal(root.id);
    const cov = (await w.api.get('/union/api/stats/coverage').set(chair()).expect(200)).body;
    expect(cov.byOrg.find((o: { orgId: number }) => o.orgId === branch)).to.include({ members: 2 });
    const busy = await w.api.delete(`/union/api/orgs/${branch}`).set(chair()).expect(409);
    expect(busy.body.error.code).to.equal('conflict');
    await w.api
      .post('/union/api/orgs')
      .set(bearer(w.token('u_staff', ['union_staff'])))
      .send({ name: 'x', parentId: root.id, level: 'group' })
      .expect(403);
  });
});
