import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { acquireLease, leaseHolder, releaseLease, withLease } from '../../plugin/jobs/lease';
import { safeLogger } from '../../plugin/lib/log-safe';
import { Invalid } from '../../plugin/errors';
import { bearer, makeWorld, recordingLogger, TODAY, type World } from '../helpers/harness';

const secret = 'whsec_' + Buffer.from('a-very-secret-key-for-tests-0123').toString('base64');
const membership = (w: World, id: string) => w.db('union_memberships').where({ employee_id: id }).first();

describe('hardening: the lease belongs to the run that took it', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());

  it('two runs on one instance exclude each other; an expired lease can be taken over', async () => {
    const ctx = w.plugin.ctx;
    const a = await acquireLease(ctx, 'job:x', 60);
    expect(a).to.be.a('string');
    expect(await acquireLease(ctx, 'job:x', 60), 'same instance, second run').to.equal(null);
    w.clock.tick(61_000);
    const b = await acquireLease(ctx, 'job:x', 60, ctx.instanceId, 'button:u_staff');
    expect(b).to.be.a('string').and.not.equal(a);
    expect(await leaseHolder(ctx, 'job:x')).to.include({ holder: ctx.instanceId, startedBy: 'button:u_staff' });
    // The first run finishing late lets go of nothing: the lease is the second run's now.
    expect(await releaseLease(ctx, 'job:x', a!)).to.equal(false);
    expect(await w.db('union_job_leases').where({ job: 'job:x' }).first()).to.include({ token: b });
    expect(await releaseLease(ctx, 'job:x', b!)).to.equal(true);
    expect(await w.db('union_job_leases').where({ job: 'job:x' }).first()).to.equal(undefined);
  });

  it('a run that finishes after its lease was taken over does not delete the new holder', async () => {
    const ctx = w.plugin.ctx;
    let other: string | null = null;
    const outcome = await withLease(ctx, 'job:y', 60, async () => {
      // This run outlived its lease (say, a stalled database); another run on the same instance took over.
      w.clock.tick(61_000);
      other = await acquireLease(ctx, 'job:y', 60);
      return 'done';
    });
    expect(outcome).to.deep.include({ ran: true, value: 'done' });
    expect(other).to.be.a('string');
    expect(await w.db('union_job_leases').where({ job: 'job:y' }).first()).to.include({ token: other });
  });
});

describe('hardening: enabling the module again catches up', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());

  async function runOf(trigger: string, timeoutMs = 10_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await w.db('union_reconcile_runs').where({ trigger }).whereNot({ status: 'running' }).first();
      if (run) return run;
      if (Date.now() > until) return undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('hires and exits made while it was disabled are applied once it is enabled', async () => {
    const admin = bearer(w.token('admin', ['admin']));
    const hire = async (name: string) =>
      (
        await w.api
          .post('/hr/api/employees')
          .set(admin)
          .send({ name, departmentId: 'D01', gender: 'M', birthDate: '1990-02-02', hireDate: TODAY })
          .expect(201)
      ).body.id as string;
    const leaver = await hire('在职');
    expect((await membership(w, leaver)).status).to.equal('active');

    await w.host.plugins.disable('union');
    w.clock.tick(60_000);
    const joiner = await hire('停用期间入职');
    await w.api.post(`/hr/api/employees/${leaver}/exit`).set(admin).send({ exitDate: TODAY, reason: 'resigned' }).expect(200);
    expect(await membership(w, joiner)).to.equal(undefined);
    expect((await membership(w, leaver)).status).to.equal('active');

    const started = Date.now();
    await w.host.plugins.enable('union');
    const enableMs = Date.now() - started;
    const run = await runOf('enable');
    expect(run, 'a catch-up run is reported').to.include({ status: 'done', actor: 'system:enable' });
    expect((await membership(w, joiner)).status).to.equal('active');
    expect((await membership(w, leaver)).status).to.equal('expired');
    const changes = await w.db('union_reconcile_changes').where({ run_id: run.id }).orderBy('employee_id');
    expect(changes.map((c) => [c.employee_id, c.change])).to.have.deep.members([
      [joiner, 'join'],
      [leaver, 'expire'],
    ]);
    expect(enableMs).to.be.below(5000);
    expect(await w.db('union_job_leases').where({ job: 'job:reconcile' }).first()).to.equal(undefined);
  });

  it('disabling stops a catch-up that is still running, records why, and lets go of the lease', async () => {
    await w.host.plugins.disable('union');
    const lost = (
      await w.api
        .post('/hr/api/employees')
        .set(bearer(w.token('admin', ['admin'])))
        .send({ name: '未赶上', departmentId: 'D01', gender: 'M', birthDate: '1990-02-02', hireDate: TODAY })
        .expect(201)
    ).body.id;
    const dir = w.plugin.ctx.host.employees;
    const real = dir.list;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let reads = 0;
    dir.list = async (q) => {
      reads++;
      await gate;
      return real.call(dir, q);
    };
    try {
      await w.host.plugins.enable('union');
      for (let i = 0; i < 200 && reads === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(reads).to.equal(1, 'the catch-up is reading the host');
      const disabling = w.host.plugins.disable('union');
      open();
      await disabling;
    } finally {
      open();
      dir.list = real;
    }
    const run = await w.db('union_reconcile_runs').where({ trigger: 'enable' }).first();
    expect(run).to.include({ status: 'failed' });
    expect(run.error).to.contain('the module was disabled');
    expect(await membership(w, lost)).to.equal(undefined);
    expect(await w.db('union_job_leases').where({ job: 'job:reconcile' }).first()).to.equal(undefined);
  });

  it('the first enable after install does not sync twice', async () => {
    expect(await w.db('union_reconcile_runs').pluck('trigger')).to.deep.equal(['install']);
  });
});

describe('hardening: privacy in operations', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ env: { UNION_WEBHOOK_SECRET: secret } })));
  afterEach(async () => w.close());

  const planted = '13912345678';
  const bigEvent = (id: string) => ({
    id,
    type: 'employee.hired',
    timestamp: '2026-11-23T01:00:00Z',
    data: { employeeId: 'P1', departmentId: 'D01', phone: planted, note: '张三的病历'.repeat(400) },
  });

  it('a 500 logs the error by its shape: one short line, without the SQL or the personal data it carried', async () => {
    // The database itself refuses the row (a real driver error whose message holds the whole INSERT).
    await w.db.raw('alter table union_events modify payload varchar(300) not null');
    const body = JSON.stringify(bigEvent('evt_big'));
    const at = new Date();
    const res = await w.api
      .post('/union/hooks/employee-events')
      .set({
        'webhook-id': 'msg_big',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign('msg_big', at, body),
        'content-type': 'application/json',
      })
      .send(body)
      .expect(500);
    expect(JSON.stringify(res.body)).not.to.contain(planted);
    const entry = w.logger.entries.find((e) => e.msg === 'union: unhandled error');
    const line = JSON.stringify(entry);
    expect(line).not.to.contain(planted);
    expect(line).not.to.contain('病历');
    expect(line.toLowerCase()).not.to.contain('insert into');
    expect(line.length).to.be.below(1500);
    expect((entry!.obj as { err: object }).err).to.include({ code: 'ER_DATA_TOO_LONG', sqlState: '22001', table: 'union_events' });

    // The in-process path logs the same way, and drops the event.
    await w.host.bus.emit(bigEvent('evt_big_inproc') as never);
    const inproc = JSON.stringify(w.logger.entries.find((e) => /could not be applied/.test(e.msg ?? '')));
    expect(inproc).to.contain('ER_DATA_TOO_LONG').and.not.contain(planted);
    expect(inproc.length).to.be.below(1500);
  });

  it('pages, APIs and exports with personal data say Cache-Control: no-store; the stylesheet may be cached', async () => {
    const staff = w.token('u_staff', ['employee', 'union_staff']);
    const admin = w.token('admin', ['admin']);
    for (const [url, token] of [
      ['/union/api/members', staff],
      ['/union/api/me', staff],
      ['/union/api/members/export?format=csv', admin],
      ['/union/api/members/export?format=xlsx', admin],
    ]) {
      const res = await w.api.get(url).set(bearer(token));
      expect(res.status, url).to.equal(200);
      expect(res.headers['cache-control'], url).to.equal('no-store');
    }
    const page = await w.api.get('/union/members').set('Cookie', `hr_session=${staff}`).expect(200);
    expect(page.headers['cache-control']).to.equal('no-store');
    const css = await w.api.get('/union/assets/union.css').expect(200);
    expect(css.headers['cache-control']).to.contain('max-age');
  });

  it("every service's log goes through the shaping logger: a driver error keeps its codes, loses its values", () => {
    const rec = recordingLogger();
    const log = safeLogger(rec);
    const dbErr = Object.assign(
      new Error(`insert into \`union_import_rows\` (\`raw\`) values ('${planted}') - Duplicate entry '${planted}' for key 'uq_phone'`),
      {
        code: 'ER_DUP_ENTRY',
        errno: 1062,
        sqlState: '23000',
        sqlMessage: `Duplicate entry '${planted}' for key 'uq_phone'`,
        sql: `insert into \`union_import_rows\` (\`raw\`) values ('${planted}')`,
      },
    );
    log.error({ err: dbErr, importId: 7 }, 'union: ledger import failed');
    log.warn({ err: Invalid.field('file', 'has 20000 columns') }, 'x');
    log.info({ plain: 1 }, 'y');
    const [first, second, third] = rec.entries.map((e) => e.obj as Record<string, unknown>);
    expect(JSON.stringify(first)).not.to.contain(planted);
    expect(first).to.deep.include({ importId: 7 });
    expect(first.err).to.include({ code: 'ER_DUP_ENTRY', table: 'union_import_rows', reason: "Duplicate entry '…' for key 'uq_phone'" });
    expect(second.err).to.include({ type: 'Invalid', message: 'file: has 20000 columns' });
    expect(third).to.deep.equal({ plain: 1 });
  });
});
