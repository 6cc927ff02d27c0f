import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import type { Employee } from '../../plugin/host';
import { reconcile } from '../../plugin/sync/reconcile';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

const secret = 'whsec_' + Buffer.from('a-very-secret-key-for-tests-0123').toString('base64');
const actor = { id: 'test', kind: 'job' as const };
let seq = 0;

function signed(body: object, id = `msg_${++seq}`, at = new Date()) {
  const payload = JSON.stringify(body);
  return {
    payload,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, payload),
      'content-type': 'application/json',
    },
  };
}

const count = async (w: World, table: string) => Number((await w.db(table).count({ n: '*' }).first())!.n);
const membership = (w: World, id: string) => w.db('union_memberships').where({ employee_id: id }).first();

async function hire(w: World, name: string, departmentId = 'D01'): Promise<string> {
  const res = await w.api
    .post('/hr/api/employees')
    .set(bearer(w.token('admin', ['admin'])))
    .send({ name, departmentId, gender: 'F', birthDate: '1990-02-02', hireDate: TODAY })
    .expect(201);
  return res.body.id;
}

describe('hardening: what the host sends that the database cannot hold', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ env: { UNION_WEBHOOK_SECRET: secret } })));
  afterEach(async () => w.close());

  it('a 300-character webhook-id gets 400 naming webhook-id, and nothing is written', async () => {
    const body = { type: 'employee.hired', timestamp: '2026-11-23T01:00:00Z', data: { employeeId: 'W9', departmentId: 'D01' } };
    const { payload, headers } = signed(body, 'm'.repeat(300));
    const res = await w.api.post('/union/hooks/employee-events').set(headers).send(payload).expect(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['webhook-id']);
    expect(await count(w, 'union_events')).to.equal(0);
    expect(await w.db('union_employees').where({ employee_id: 'W9' }).first()).to.equal(undefined);
    // The longest id the module can record (with its audit actor `event:<id>`) is still accepted.
    const ok = signed(body, 'm'.repeat(122));
    await w.api.post('/union/hooks/employee-events').set(ok.headers).send(ok.payload).expect(200);
    expect(await count(w, 'union_events')).to.equal(1);
  });

  it('a malformed percent-encoding in a union URL gets 400 naming the path, as JSON and as a page', async () => {
    const staff = w.token('u_staff', ['employee', 'union_staff']);
    const api = await w.api.get('/union/api/members/%E0%A4%A').set(bearer(staff)).expect(400);
    expect(api.body.error.details).to.deep.equal([{ path: 'path', message: 'is not valid percent-encoding' }]);
    const page = await w.api.get('/union/members/%E0%A4%A').set('Cookie', `hr_session=${staff}`).set('Accept', 'text/html').expect(400);
    expect(page.headers['content-type']).to.contain('text/html');
    expect(w.logger.entries.filter((e) => e.level === 'error')).to.deep.equal([]);
  });
});

describe('hardening: event times from the future', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ env: { UNION_WEBHOOK_SECRET: secret } })));
  afterEach(async () => w.close());

  it('a signed event dated 9999-12-31 gets 400 naming event.timestamp and changes nothing', async () => {
    const id = await hire(w, '未来');
    const before = await w.db('union_employees').where({ employee_id: id }).first();
    const body = { type: 'employee.transferred', timestamp: '9999-12-31T00:00:00Z', data: { employeeId: id, departmentId: 'D05' } };
    const { payload, headers } = signed(body);
    const res = await w.api.post('/union/hooks/employee-events').set(headers).send(payload).expect(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['event.timestamp']);
    expect(await w.db('union_events').where({ id: headers['webhook-id'] }).first()).to.equal(undefined);
    expect(await w.db('union_employees').where({ employee_id: id }).first()).to.deep.equal(before);
  });

  it('an event within the tolerance (a sender clock a minute fast) is applied', async () => {
    const at = new Date(Date.now() + 60_000).toISOString();
    const { payload, headers } = signed({ type: 'employee.hired', timestamp: at, data: { employeeId: 'W5', departmentId: 'D01' } });
    expect((await w.api.post('/union/hooks/employee-events').set(headers).send(payload).expect(200)).body.outcome).to.equal('applied');
  });

  it('an in-process event from the future is logged and dropped', async () => {
    const id = await hire(w, '未来二');
    const before = await w.db('union_employees').where({ employee_id: id }).first();
    await w.host.bus.emit(w.host.bus.create('employee.exited', { employeeId: id, exitDate: TODAY }, new Date('9999-12-31T00:00:00Z')));
    expect(await w.db('union_employees').where({ employee_id: id }).first()).to.deep.equal(before);
    expect((await membership(w, id)).status).to.equal('active');
    const logged = w.logger.entries.find((e) => e.level === 'error' && /could not be applied/.test(e.msg ?? ''));
    expect(JSON.stringify(logged?.obj)).to.contain('event.timestamp');
  });

  it('reconciliation repairs a fact whose time is in the future instead of keeping it forever', async () => {
    const id = await hire(w, '冻结');
    // What a future-dated transfer did before such events were refused: D09, dated 9999.
    await w
      .db('union_employees')
      .where({ employee_id: id })
      .update({ department_id: 'D09', fact_at: '9999-12-31 00:00:00.000', dept_at: '9999-12-31 00:00:00.000' });
    w.clock.tick(60_000);
    await w.api
      .post(`/hr/api/employees/${id}/transfer`)
      .set(bearer(w.token('admin', ['admin'])))
      .send({ departmentId: 'D02' })
      .expect(200);
    expect((await w.db('union_employees').where({ employee_id: id }).first()).department_id).to.equal('D09', 'the event alone is stale');

    const report = await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    expect(report.counts.keptNewer).to.equal(0);
    const fact = await w.db('union_employees').where({ employee_id: id }).first();
    expect(fact.department_id).to.equal('D02');
    expect(fact.fact_at < '9999').to.equal(true);
    expect(fact.dept_at < '9999').to.equal(true);
    expect((await membership(w, id)).department_id).to.equal('D02');
    // Repaired for good: a later transfer event applies again, and the next run has nothing to do.
    w.clock.tick(60_000);
    await w.api
      .post(`/hr/api/employees/${id}/transfer`)
      .set(bearer(w.token('admin', ['admin'])))
      .send({ departmentId: 'D03' })
      .expect(200);
    expect((await w.db('union_employees').where({ employee_id: id }).first()).department_id).to.equal('D03');
    const again = await reconcile(w.plugin.ctx, { trigger: 'test', actor });
    expect(again.counts).to.include({ keptNewer: 0, factsUpdated: 0 });
  });
});

/** Holds every reconciliation at its first host read until `open()`: a run that is certainly still going. */
function holdRuns(w: World) {
  const dir = w.plugin.ctx.host.employees;
  const real = dir.list;
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let reads = 0;
  dir.list = async (q) => {
    reads++;
    await gate;
    return real.call(dir, q) as Promise<{ items: Employee[]; nextCursor: string | null }>;
  };
  return {
    open,
    get reads() {
      return reads;
    },
    restore: () => {
      open();
      dir.list = real;
    },
  };
}

describe('hardening: one sync at a time (the lease)', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());

  it('30 concurrent POST /union/api/sync/runs start exactly one run; the others get 409 naming it', async () => {
    const runsBefore = await count(w, 'union_reconcile_runs');
    const staff = bearer(w.token('u_staff', ['employee', 'union_staff']));
    const hold = holdRuns(w);
    const fallback = setTimeout(hold.open, 8000);
    let refused = 0;
    try {
      const answers = await Promise.all(
        Array.from({ length: 30 }, () =>
          w.api
            .post('/union/api/sync/runs')
            .set(staff)
            .then((res) => {
              if (res.status === 409 && ++refused === 29) hold.open();
              return res;
            }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201)).to.have.length(1);
      expect(statuses.filter((s) => s === 409)).to.have.length(29);
      const done = answers.find((a) => a.status === 201)!.body;
      expect(hold.reads).to.equal(1, 'one reconciliation read the host');
      expect(await count(w, 'union_reconcile_runs')).to.equal(runsBefore + 1);
      const busy = answers.find((a) => a.status === 409)!.body.error;
      expect(busy.message).to.contain(`run ${done.runId}`).and.contain('started by button:u_staff');
      expect(busy.details[0].path).to.equal('sync');
      expect(await w.db('union_job_leases').where({ job: 'job:reconcile' }).first()).to.equal(undefined);
    } finally {
      clearTimeout(fallback);
      hold.restore();
    }
  });

  it('a double-click on 同步人事数据 starts one run', async () => {
    const runsBefore = await count(w, 'union_reconcile_runs');
    const cookie = `hr_session=${w.token('u_staff', ['employee', 'union_staff'])}`;
    const page = await w.api.get('/union/sync').set('Cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const hold = holdRuns(w);
    const fallback = setTimeout(hold.open, 8000);
    try {
      // Whichever click is refused comes back while the other's run is still held open.
      const click = () =>
        w.api
          .post('/union/sync')
          .set('Cookie', cookie)
          .type('form')
          .send({ _csrf: csrf })
          .then((res) => {
            if (new URL(res.headers.location, 'http://x').searchParams.get('flash') === 'members.sync.running') hold.open();
            return res;
          });
      const flashes = (await Promise.all([click(), click()])).map((r) => new URL(r.headers.location, 'http://x').searchParams.get('flash'));
      expect(flashes.sort()).to.deep.equal(['members.sync.done', 'members.sync.running']);
      expect(await count(w, 'union_reconcile_runs')).to.equal(runsBefore + 1);
    } finally {
      clearTimeout(fallback);
      hold.restore();
    }
  });
});
