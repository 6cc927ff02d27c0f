import { expect } from 'chai';
import sinon from 'sinon';
import supertest from 'supertest';
import { createHostApp } from '../../examples/host/app';
import type { HostEvent } from '../../plugin/host';
import { ingestEvent } from '../../plugin/sync/events';
import { loadEmployeesCsv } from '../../examples/host/seed';
import { DEV_SECRET, TOKEN_TTL_SEC } from '../../examples/host/sso';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';
import { ledgerFixture } from '../helpers/fixtures';

/**
 * The member list is served from a cache that the membership writer invalidates through a version row
 * in MySQL: every write must show on the next read, the ETag must move with it, a branch's staff must
 * never be handed the root's page, and a client holding the current version gets 304.
 */
type Item = { employeeId: string; status: string; memberNo: string | null };
const staff = (w: World) => bearer(w.token('u_staff', ['employee', 'union_staff']));
const LIST = '/union/api/members?limit=500';

async function list(w: World, auth = staff(w), path = LIST) {
  const res = await w.api.get(path).set(auth).expect(200);
  return { items: res.body.items as Item[], total: res.body.total as number, etag: res.headers.etag as string };
}
const statusOf = (items: Item[], id: string) => items.find((i) => i.employeeId === id)?.status;

describe('member list cache: invalidated by the writer, per scope, with ETags', () => {
  let w: World;
  afterEach(async () => w?.close());

  describe('on the seeded company', () => {
    beforeEach(async () => (w = await makeWorld()));

    it('serves a repeated read without asking the host again, and 304 for a matching If-None-Match', async () => {
      const first = await list(w);
      expect(first.etag).to.match(/^"[\w-]+"$/);
      const getMany = sinon.spy(w.plugin.ctx.host.employees, 'getMany');
      try {
        const again = await list(w);
        expect(again).to.deep.equal(first);
        // The second read came from the cache: the names were not fetched again.
        expect(getMany.callCount).to.equal(0);
      } finally {
        getMany.restore();
      }
      const cond = await w.api.get(LIST).set(staff(w)).set('If-None-Match', first.etag).expect(304);
      expect(cond.headers.etag).to.equal(first.etag);
      // Personal data: no browser or proxy keeps it; a client that kept it itself asks with the validator.
      expect(cond.headers['cache-control']).to.equal('no-store');
      // A different query is a different page and a different validator.
      const other = await list(w, staff(w), `${LIST}&status=active`);
      expect(other.etag).to.not.equal(first.etag);

      const page = await w.api.get('/union/members').set(staff(w)).expect(200);
      expect(page.headers.etag).to.match(/^"[\w-]+"$/);
      await w.api.get('/union/members').set(staff(w)).set('If-None-Match', page.headers.etag).expect(304);
      // Another caller of the same scope gets the same rows, but not the other's page validator (shell, CSRF).
      const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
      const theirs = await w.api.get('/union/members').set(chair).set('If-None-Match', page.headers.etag).expect(200);
      expect(theirs.headers.etag).to.not.equal(page.headers.etag);
    });

    it('a token verified once (and remembered) is refused once it expires', async () => {
      const token = w.token('u_staff', ['employee', 'union_staff']);
      await w.api.get(LIST).set(bearer(token)).expect(200);
      await w.api.get(LIST).set(bearer(token)).expect(200);
      w.clock.tick(TOKEN_TTL_SEC * 1000 + 60_000);
      await w.api.get(LIST).set(bearer(token)).expect(401);
    });

    it('an approved application shows on the next read, and the old ETag no longer matches', async () => {
      const before = await list(w);
      const beforePage = await w.api.get('/union/members?keyword=u_emp').set(staff(w)).expect(200);
      expect(statusOf(before.items, 'u_emp')).to.equal(undefined);
      const emp = bearer(w.token('u_emp'));
      const { body } = await w.api.post('/union/api/join-applications').set(emp).send({ consent: true }).expect(201);
      await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(200);

      const after = await list(w);
      expect(statusOf(after.items, 'u_emp')).to.equal('active');
      expect(after.total).to.equal(before.total + 1);
      expect(after.etag).to.not.equal(before.etag);
      const fresh = await w.api.get(LIST).set(staff(w)).set('If-None-Match', before.etag).expect(200);
      expect(fresh.body.items.map((i: Item) => i.employeeId)).to.include('u_emp');
      // The HTML page moves too.
      const page = await w.api.get('/union/members?keyword=u_emp').set(staff(w)).set('If-None-Match', beforePage.headers.etag).expect(200);
      expect(page.headers.etag).to.not.equal(beforePage.headers.etag);
      expect(page.text).to.contain('/union/members/u_emp');
    });

    it('an exit event shows on the next read', async () => {
      const admin = bearer(w.token('admin', ['admin']));
      const hired = await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '缓存测试', departmentId: 'D01', gender: 'M', birthDate: '1995-05-05', hireDate: TODAY })
        .expect(201);
      const id = hired.body.id as string;
      // The exit happens an hour later (an event from the future is refused); read the list after the
      // clock moved, so that only the write can make the next read differ.
      w.clock.tick(3_600_000);
      const before = await list(w);
      expect(statusOf(before.items, id)).to.equal('active');
      const exit: HostEvent = {
        id: 'evt_cache_exit',
        type: 'employee.exited',
        timestamp: `${TODAY}T03:00:00Z`,
        data: { employeeId: id, exitDate: TODAY, reason: 'resigned' },
      };
      expect(await ingestEvent(w.plugin.ctx, exit, 'inproc')).to.equal('applied');
      const after = await list(w);
      expect(statusOf(after.items, id)).to.equal('expired');
      expect(after.etag).to.not.equal(before.etag);
    });
  });

  it('two instances on one database: a write through either shows on the other at once', async () => {
    w = await makeWorld();
    const other = await createHostApp({ db: w.db, logger: w.logger, env: {}, secret: DEV_SECRET });
    try {
      const b = supertest(other.app);
      const read = async (agent: typeof b) => {
        const res = await agent.get(LIST).set(staff(w)).expect(200);
        return { items: res.body.items as Item[], etag: res.headers.etag as string };
      };
      // Both instances hold the list in their caches.
      const a0 = await read(w.api as unknown as typeof b);
      const b0 = await read(b);
      expect(b0.items).to.deep.equal(a0.items);
      // Written through B, read through A.
      const emp = bearer(w.token('u_emp'));
      const { body } = await b.post('/union/api/join-applications').set(emp).send({ consent: true }).expect(201);
      await b.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(200);
      const a1 = await read(w.api as unknown as typeof b);
      expect(statusOf(a1.items, 'u_emp')).to.equal('active');
      expect(a1.etag).to.not.equal(a0.etag);
      // Written through A, read through B.
      const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
      await w.api.post('/union/api/members/u_emp/status').set(chair).send({ status: 'withdrawn', reason: '本人申请退会' }).expect(200);
      const b1 = await read(b);
      expect(statusOf(b1.items, 'u_emp')).to.equal('withdrawn');
      // Same version, same scope, same query: both instances give the same validator.
      expect(b1.etag).to.equal((await read(w.api as unknown as typeof b)).etag);
    } finally {
      await other.close();
    }
  });

  it('a committed ledger import shows on the next read', async () => {
    w = await makeWorld({ employees: 0 });
    await loadEmployeesCsv(w.db, ledgerFixture('employees.csv').toString('utf8'));
    const before = await list(w);
    expect(before.total).to.equal(0);
    const imp = (
      await w.api.post('/union/api/imports').set(staff(w)).attach('file', ledgerFixture('ledger.xlsx'), 'ledger.xlsx').expect(201)
    ).body;
    // The dry run writes no membership: the cached page stays valid.
    const dry = await list(w);
    expect(dry.etag).to.equal(before.etag);
    await w.api.post(`/union/api/imports/${imp.id}/commit`).set(staff(w)).expect(200);
    const after = await list(w);
    expect(after.total).to.be.greaterThan(0);
    expect(after.total).to.equal(Number((await w.db('union_memberships').count({ n: '*' }).first())!.n));
    expect(after.etag).to.not.equal(before.etag);
  });

  it("a branch's staff never get the root's cached page", async () => {
    w = await makeWorld({ employees: 80 });
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    const admin = bearer(w.token('admin', ['admin']));
    for (const dept of ['D05', 'D05', 'D06', 'D06'])
      await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '范围测试', departmentId: dept, gender: 'F', birthDate: '1990-01-01', hireDate: TODAY })
        .expect(201);
    const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id as number;
    const branch = (await w.api.post('/union/api/orgs').set(chair).send({ name: '销售分会', parentId: root, level: 'branch' }).expect(201))
      .body.id;
    await w.api
      .put(`/union/api/orgs/${branch}/departments`)
      .set(chair)
      .send({ departmentIds: ['D05'] })
      .expect(200);
    await w.api.post('/union/api/sync/runs').set(chair).expect(201);
    const branchStaff = (await w.db('host_employees').where({ department_id: 'D05', status: 'employed' }).orderBy('id').first('id'))
      .id as string;
    await w.db('host_user_roles').insert({ user_id: branchStaff, role: 'union_staff' });
    const asBranch = bearer(w.token(branchStaff, ['employee']));

    // The root's staff read first, so a cache keyed without the scope would hand the branch this page.
    const rootList = await list(w);
    const rootPage = await w.api.get('/union/members').set(staff(w)).expect(200);
    const branchList = await list(w, asBranch);
    const inBranch = await w.db('union_memberships').where({ org_id: branch }).pluck('employee_id');
    expect(inBranch.length).to.be.greaterThan(0);
    expect(rootList.total).to.be.greaterThan(inBranch.length);
    expect(branchList.items.map((i) => i.employeeId).sort()).to.deep.equal([...inBranch].sort());
    expect(branchList.etag).to.not.equal(rootList.etag);
    await w.api.get(LIST).set(asBranch).set('If-None-Match', rootList.etag).expect(200);
    const branchPage = await w.api.get('/union/members').set(asBranch).set('If-None-Match', rootPage.headers.etag).expect(200);
    const total = (html: string) => html.match(/data-testid="list-total">([^<]*)</)?.[1];
    expect(total(branchPage.text)).to.contain(String(inBranch.length));
    expect(total(rootPage.text)).to.contain(String(rootList.total));
  });
});
