import { expect } from 'chai';
import sinon from 'sinon';
import { reconcile, updateFactsGuarded } from '../../plugin/sync/reconcile';
import { normaliseFact } from '../../plugin/services/memberships';
import { ingestEvent } from '../../plugin/sync/events';
import { acquireLease } from '../../plugin/jobs/lease';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

const actor = { id: 'test', kind: 'job' as const };

async function membership(w: World, employeeId: string) {
  return w.db('union_memberships').where({ employee_id: employeeId }).first();
}

/** HR changes made while the host's event bus is down: the module hears nothing. */
async function withLostEvents<T>(w: World, work: () => Promise<T>): Promise<T> {
  const stub = sinon.stub(w.host.bus, 'emit').resolves();
  try {
    return await work();
  } finally {
    stub.restore();
  }
}

describe('reconciliation (同步人事数据)', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());

  it('the first sync after install records everyone but enrols nobody who was already employed', async () => {
    const report = await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    expect(report.counts.scanned).to.equal(44);
    expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.include({ n: 0 });
    const again = await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    expect(again.counts).to.include({ factsCreated: 0, factsUpdated: 0, joined: 0 });
  });

  it('repairs a missed hire, exit and transfer, and writes a run report with each change', async () => {
    await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    const root = (await w.db('union_orgs').whereNull('parent_id').first()).id;
    const [branch] = await w
      .db('union_orgs')
      .insert({ name: '二车间分会', level: 'branch', parent_id: root, created_at: '2026-11-23 00:00:00.000' });
    await w.db('union_org_departments').insert({ department_id: 'D02', org_id: Number(branch) });
    const admin = bearer(w.token('admin', ['admin']));
    const a = (
      await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '甲', departmentId: 'D01', gender: 'F', birthDate: '1990-02-02', hireDate: TODAY })
    ).body.id;
    const b = (
      await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '乙', departmentId: 'D01', gender: 'M', birthDate: '1990-02-02', hireDate: TODAY })
    ).body.id;
    const c = (
      await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '丙', departmentId: 'D01', gender: 'M', birthDate: '1990-02-02', hireDate: TODAY })
    ).body.id;
    expect((await membership(w, b)).status).to.equal('active');

    const lost = await withLostEvents(w, async () => {
      const d = (
        await w.api
          .post('/hr/api/employees')
          .set(admin)
          .send({ name: '丁', departmentId: 'D03', gender: 'F', birthDate: '1992-03-03', hireDate: TODAY })
      ).body.id;
      await w.api.post(`/hr/api/employees/${b}/exit`).set(admin).send({ exitDate: TODAY, reason: 'resigned' }).expect(200);
      await w.api.post(`/hr/api/employees/${c}/transfer`).set(admin).send({ departmentId: 'D02' }).expect(200);
      return d as string;
    });
    expect(await membership(w, lost)).to.equal(undefined);
    expect((await membership(w, b)).status).to.equal('active');

    const report = await reconcile(w.plugin.ctx, { trigger: 'button', actor });
    expect(report.counts).to.include({ joined: 1, expired: 1, transferred: 1 });
    expect((await membership(w, lost)).status).to.equal('active');
    expect((await membership(w, b)).status).to.equal('expired');
    expect((await membership(w, c)).org_id).to.equal(Number(branch));
    expect((await membership(w, a)).status).to.equal('active');
    const changes = await w.db('union_reconcile_changes').where({ run_id: report.runId }).orderBy('employee_id');
    expect(changes.map((x) => [x.employee_id, x.change])).to.have.deep.members([
      [lost, 'join'],
      [b, 'expire'],
      [c, 'transfer'],
    ]);
    const run = await w.db('union_reconcile_runs').where({ id: report.runId }).first();
    expect(run.status).to.equal('done');
    expect(JSON.parse(run.counts).scanned).to.equal(48);
  });

  it('never overwrites what an event told it after the host snapshot was read', async () => {
    await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    const admin = bearer(w.token('admin', ['admin']));
    const id = (
      await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '戊', departmentId: 'D01', gender: 'F', birthDate: '1990-02-02', hireDate: TODAY })
    ).body.id;
    w.clock.tick(60_000);
    // The host's directory answers with a snapshot taken before the exit; the exit event lands meanwhile.
    const realList = w.host.host.employees.list.bind(w.host.host.employees);
    const list = sinon.stub(w.plugin.ctx.host.employees, 'list').callsFake(async (q) => {
      const page = await realList(q);
      await ingestEvent(
        w.plugin.ctx,
        { id: 'evt_mid_run', type: 'employee.exited', timestamp: new Date().toISOString(), data: { employeeId: id, exitDate: TODAY } },
        'inproc',
      );
      list.restore();
      return page;
    });
    const report = await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    expect(report.counts.keptNewer).to.equal(1);
    expect((await membership(w, id)).status).to.equal('expired');
  });

  it("a fact that moved on between the run's read and its write is left as it is (version guard)", async () => {
    await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    const rows = await w.db('union_employees').orderBy('employee_id').limit(3).select();
    const read = rows.map((r) => ({
      next: { ...normaliseFact(r), fact_at: r.fact_at, dept_at: r.dept_at, department_id: 'D09' },
      version: Number(r.version),
    }));
    // An event (or a person) got to the second one after the run read it.
    await w
      .db('union_employees')
      .where({ employee_id: rows[1].employee_id })
      .update({ department_id: 'D07', version: Number(rows[1].version) + 1 });
    const lost = await w.db.transaction((trx) => updateFactsGuarded(trx, read));
    expect(lost).to.deep.equal([rows[1].employee_id]);
    const after = new Map(
      (
        await w
          .db('union_employees')
          .whereIn(
            'employee_id',
            rows.map((r) => r.employee_id),
          )
          .select()
      ).map((r) => [r.employee_id, r]),
    );
    expect(after.get(rows[0].employee_id)).to.include({ department_id: 'D09', version: Number(rows[0].version) + 1 });
    expect(after.get(rows[1].employee_id)).to.include({ department_id: 'D07' });
    expect(after.get(rows[2].employee_id)).to.include({ department_id: 'D09' });
  });

  it('runs once at a time across instances: the button answers 409 while the lease is held', async () => {
    await w.db('union_job_leases').insert({
      job: 'job:reconcile',
      holder: 'another-instance',
      acquired_at: '2026-11-23 01:59:00.000',
      expires_at: '2026-11-23 02:30:00.000',
    });
    const staff = bearer(w.token('u_staff', ['union_staff']));
    const busy = await w.api.post('/union/api/sync/runs').set(staff).expect(409);
    expect(busy.body.error.code).to.equal('conflict');
    w.clock.tick(31 * 60_000);
    const ok = await w.api.post('/union/api/sync/runs').set(staff).expect(201);
    expect(ok.body.status).to.equal('done');
    const runs = await w.api.get('/union/api/sync/runs').set(staff).expect(200);
    expect(runs.body.items[0]).to.include({ id: ok.body.runId, trigger: 'button', status: 'done' });
    expect(runs.body.items[0].counts.scanned).to.equal(44);
    const one = await w.api.get(`/union/api/sync/runs/${ok.body.runId}`).set(staff).expect(200);
    expect(one.body.changes).to.be.an('array');
    expect(await w.db('union_job_leases').where({ job: 'job:reconcile' }).first()).to.equal(undefined);
  });

  it('two instances racing for the same job: exactly one runs it', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => acquireLease(w.plugin.ctx, 'job:race', 60, `instance-${i}`)));
    expect(results.filter(Boolean)).to.have.length(1);
  });
});
