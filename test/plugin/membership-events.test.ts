import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import type { HostEvent } from '../../plugin/host';
import { ingestEvent } from '../../plugin/sync/events';
import { applyDue } from '../../plugin/jobs/apply-due';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

let seq = 0;
function ev(type: HostEvent['type'], data: HostEvent['data'], timestamp: string, id = `evt_test_${++seq}`): HostEvent {
  return { id, type, timestamp, data };
}

async function membership(w: World, employeeId: string) {
  return w.db('union_memberships').where({ employee_id: employeeId }).first();
}

async function hire(w: World, name = '王小明', hireDate = TODAY, departmentId = 'D01') {
  const res = await w.api
    .post('/hr/api/employees')
    .set(bearer(w.token('admin', ['admin'])))
    .send({ name, departmentId, gender: 'M', birthDate: '1995-05-05', hireDate })
    .expect(201);
  return res.body.id as string;
}

describe('membership follows host events', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());

  it('a hire activates a membership with a GH number, records consent by policy, and tells the person', async () => {
    const id = await hire(w);
    const m = await membership(w, id);
    expect(m).to.include({ status: 'active', member_no: 'GH20260001', consent_method: 'policy' });
    expect(m.joined_at).to.equal(TODAY);
    const api = await w.api
      .get(`/union/api/members/${id}`)
      .set(bearer(w.token('u_staff', ['union_staff'])))
      .expect(200);
    expect(api.body).to.deep.equal({
      employeeId: id,
      memberNo: 'GH20260001',
      status: 'active',
      joinedAt: TODAY,
      expiredAt: null,
      orgId: m.org_id,
    });
    expect(w.notify.calledWithMatch({ to: [id], template: 'union.member.joined', data: { memberNo: 'GH20260001' } })).to.equal(true);
    const history = await w.db('union_membership_history').where({ membership_id: m.id });
    expect(history).to.have.length(1);
    expect(history[0]).to.include({ to_status: 'active', source: 'event' });
    const audit = await w.db('union_audit').where({ entity: 'membership', entity_id: id });
    expect(audit).to.have.length(1);
  });

  it('an exit that arrives twice expires the membership once', async () => {
    const id = await hire(w);
    w.clock.tick(3_600_000); // the exit happens an hour later (an event from the future is refused)
    const exit = ev('employee.exited', { employeeId: id, exitDate: TODAY, reason: 'resigned' }, `${TODAY}T03:00:00Z`);
    expect(await ingestEvent(w.plugin.ctx, exit, 'inproc')).to.equal('applied');
    expect(await ingestEvent(w.plugin.ctx, exit, 'inproc')).to.equal('duplicate');
    const m = await membership(w, id);
    expect(m).to.include({ status: 'expired', status_reason: 'exited' });
    expect(m.expired_at).to.equal(TODAY);
    expect(await w.db('union_membership_history').where({ membership_id: m.id, to_status: 'expired' })).to.have.length(1);
  });

  it('the same event delivered concurrently is applied once', async () => {
    const id = await hire(w);
    w.clock.tick(3_600_000); // the exit happens an hour later (an event from the future is refused)
    const exit = ev('employee.exited', { employeeId: id, exitDate: TODAY }, `${TODAY}T03:00:00Z`);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => ingestEvent(w.plugin.ctx, exit, 'inproc')));
    expect(outcomes.filter((o) => o === 'applied')).to.have.length(1);
    expect(outcomes.filter((o) => o === 'duplicate')).to.have.length(7);
  });

  it('an exit that happened before a re-hire never expires the newer membership', async () => {
    const ctx = w.plugin.ctx;
    await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'X1', departmentId: 'D01', hireDate: '2020-01-01' }, '2020-01-01T01:00:00Z'),
      'inproc',
    );
    // The re-hire arrives first, the old exit late.
    await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'X1', departmentId: 'D02', hireDate: '2026-11-01' }, '2026-11-01T01:00:00Z'),
      'inproc',
    );
    expect(
      await ingestEvent(ctx, ev('employee.exited', { employeeId: 'X1', exitDate: '2024-06-30' }, '2024-06-30T01:00:00Z'), 'inproc'),
    ).to.equal('stale');
    const m = await membership(w, 'X1');
    expect(m.status).to.equal('active');
  });

  it('an exit that arrives before its hire is kept and applied when the hire comes', async () => {
    const ctx = w.plugin.ctx;
    expect(
      await ingestEvent(ctx, ev('employee.exited', { employeeId: 'X2', exitDate: '2026-11-20' }, '2026-11-20T01:00:00Z'), 'inproc'),
    ).to.equal('applied');
    expect(await membership(w, 'X2')).to.equal(undefined);
    await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'X2', departmentId: 'D01', hireDate: '2026-03-01' }, '2026-03-01T01:00:00Z'),
      'inproc',
    );
    const m = await membership(w, 'X2');
    expect(m).to.include({ status: 'expired' });
    expect(m.expired_at).to.equal('2026-11-20');
    const steps = (await w.db('union_membership_history').where({ membership_id: m.id }).orderBy('id')).map((h) => h.to_status);
    expect(steps).to.deep.equal(['active', 'expired']);
  });

  it('a former member who is re-hired gets the old number back', async () => {
    const id = await hire(w);
    const first = (await membership(w, id)).member_no;
    await w.api
      .post(`/hr/api/employees/${id}/exit`)
      .set(bearer(w.token('admin', ['admin'])))
      .send({ exitDate: TODAY, reason: 'resigned' })
      .expect(200);
    expect((await membership(w, id)).status).to.equal('expired');
    await hire(w, '另一位');
    w.clock.tick(3 * 86_400_000);
    await ingestEvent(
      w.plugin.ctx,
      ev('employee.hired', { employeeId: id, departmentId: 'D03', hireDate: '2026-11-26' }, '2026-11-26T01:00:00Z'),
      'inproc',
    );
    const m = await membership(w, id);
    expect(m).to.include({ status: 'active', member_no: first });
  });

  it('retirement keeps the membership as retained instead of expiring it', async () => {
    const id = await hire(w);
    await w.api
      .post(`/hr/api/employees/${id}/exit`)
      .set(bearer(w.token('admin', ['admin'])))
      .send({ exitDate: TODAY, reason: 'retired' })
      .expect(200);
    expect((await membership(w, id)).status).to.equal('retained');
  });

  it("a transfer moves the member to the new department's org and records it (会籍接转)", async () => {
    const ctx = w.plugin.ctx;
    const root = (await w.db('union_orgs').whereNull('parent_id').first()).id;
    const [branch] = await w.db('union_orgs').insert({ name: '生产分会', level: 'branch', parent_id: root, created_at: ctx.nowSql() });
    await w.db('union_org_departments').insert({ department_id: 'D02', org_id: Number(branch) });
    const id = await hire(w, '调动人', TODAY, 'D01');
    expect((await membership(w, id)).org_id).to.equal(root);
    await w.api
      .post(`/hr/api/employees/${id}/transfer`)
      .set(bearer(w.token('admin', ['admin'])))
      .send({ departmentId: 'D02' })
      .expect(200);
    const m = await membership(w, id);
    expect(m.org_id).to.equal(Number(branch));
    const last = await w.db('union_membership_history').where({ membership_id: m.id }).orderBy('id', 'desc').first();
    expect(last).to.include({ from_org_id: root, to_org_id: Number(branch), reason: 'department_changed' });
  });

  it('a hire dated in the future waits for its day; the daily job then activates it', async () => {
    const id = await hire(w, '未来人', '2026-12-01');
    expect(await membership(w, id)).to.equal(undefined);
    await applyDue(w.plugin.ctx);
    expect(await membership(w, id)).to.equal(undefined);
    w.clock.tick(8 * 86_400_000);
    const { settled } = await applyDue(w.plugin.ctx);
    expect(settled).to.equal(1);
    expect(await membership(w, id)).to.include({ status: 'active', member_no: 'GH20260001' });
  });

  it('an exit dated in the future leaves the member active until that day', async () => {
    const id = await hire(w);
    await w.api
      .post(`/hr/api/employees/${id}/exit`)
      .set(bearer(w.token('admin', ['admin'])))
      .send({ exitDate: '2026-11-30', reason: 'resigned' })
      .expect(200);
    expect((await membership(w, id)).status).to.equal('active');
    w.clock.tick(7 * 86_400_000);
    await applyDue(w.plugin.ctx);
    expect((await membership(w, id)).status).to.equal('expired');
  });

  it('with onHire = invite, a hire creates a pending invitation and a notification to register', async () => {
    await w.close();
    w = await makeWorld({ settings: { onHire: 'invite' } });
    const id = await hire(w);
    expect(await membership(w, id)).to.include({ status: 'pending', member_no: null });
    expect(await w.db('union_invitations').where({ employee_id: id }).first()).to.include({ status: 'sent' });
    expect(w.notify.calledWithMatch({ to: [id], template: 'union.member.invited' })).to.equal(true);
  });

  it('employee.updated reads the host record: a department change made in HR moves the member', async () => {
    const id = await hire(w, '更新人', TODAY, 'D01');
    const root = (await w.db('union_orgs').whereNull('parent_id').first()).id;
    const [branch] = await w
      .db('union_orgs')
      .insert({ name: '质检分会', level: 'branch', parent_id: root, created_at: '2026-11-23 00:00:00.000' });
    await w.db('union_org_departments').insert({ department_id: 'D04', org_id: Number(branch) });
    w.clock.tick(60_000);
    await w.db('host_employees').where({ id }).update({ department_id: 'D04', updated_at: '2026-11-23 02:01:00.000' });
    expect(await ingestEvent(w.plugin.ctx, ev('employee.updated', { employeeId: id }, new Date().toISOString()), 'inproc')).to.equal(
      'applied',
    );
    expect((await membership(w, id)).org_id).to.equal(Number(branch));
    expect(await ingestEvent(w.plugin.ctx, ev('employee.updated', { employeeId: 'nobody' }, new Date().toISOString()), 'inproc')).to.equal(
      'noop',
    );
    expect(await w.db('union_employees').where({ employee_id: 'nobody' }).first()).to.equal(undefined);
  });

  it('bad event input is refused with the field named, and nothing is written', async () => {
    try {
      await ingestEvent(
        w.plugin.ctx,
        { id: 'e1', type: 'employee.hired', timestamp: 'yesterday', data: { employeeId: 'Z', hireDate: '2026-02-30' } },
        'inproc',
      );
      expect.fail('should refuse');
    } catch (err) {
      const details = (err as { details: Array<{ path: string }> }).details.map((d) => d.path);
      expect(details).to.include.members(['event.timestamp', 'event.data.hireDate']);
    }
    expect(await w.db('union_events').where({ id: 'e1' }).first()).to.equal(undefined);
  });
});

describe('the employee-events webhook (Standard Webhooks)', () => {
  const secret = 'whsec_' + Buffer.from('a-very-secret-key-for-tests-0123').toString('base64');
  let w: World;
  beforeEach(async () => (w = await makeWorld({ env: { UNION_WEBHOOK_SECRET: secret } })));
  afterEach(async () => w.close());

  function signed(body: object, id = `msg_${++seq}`, at = new Date()) {
    const payload = JSON.stringify(body);
    const signature = new Webhook(secret).sign(id, at, payload);
    return {
      payload,
      headers: {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
        'content-type': 'application/json',
      },
    };
  }

  it('applies an event signed by the standardwebhooks sender, once per webhook-id', async () => {
    const body = {
      type: 'employee.hired',
      timestamp: '2026-11-23T01:00:00Z',
      data: { employeeId: 'W1', departmentId: 'D01', hireDate: TODAY },
    };
    const { payload, headers } = signed(body);
    const first = await w.api.post('/union/hooks/employee-events').set(headers).send(payload).expect(200);
    expect(first.body.outcome).to.equal('applied');
    const again = await w.api.post('/union/hooks/employee-events').set(headers).send(payload).expect(200);
    expect(again.body.outcome).to.equal('duplicate');
    expect(await membership(w, 'W1')).to.include({ status: 'active' });
  });

  it('accepts any one valid signature among several', async () => {
    const { payload, headers } = signed({
      type: 'employee.hired',
      timestamp: '2026-11-23T01:00:00Z',
      data: { employeeId: 'W2', departmentId: 'D01' },
    });
    headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
    await w.api.post('/union/hooks/employee-events').set(headers).send(payload).expect(200);
  });

  it('refuses a bad signature, a tampered body and a stale timestamp with 401, writing nothing', async () => {
    const body = { type: 'employee.hired', timestamp: '2026-11-23T01:00:00Z', data: { employeeId: 'W3', departmentId: 'D01' } };
    const good = signed(body);
    await w.api
      .post('/union/hooks/employee-events')
      .set({ ...good.headers, 'webhook-signature': 'v1,AAAA' })
      .send(good.payload)
      .expect(401);
    await w.api.post('/union/hooks/employee-events').set(good.headers).send(good.payload.replace('W3', 'W4')).expect(401);
    const old = signed(body, 'msg_old', new Date(Date.now() - 6 * 60_000));
    const res = await w.api.post('/union/hooks/employee-events').set(old.headers).send(old.payload).expect(401);
    expect(res.body.error.code).to.equal('unauthorized');
    expect(await w.db('union_events').count({ n: '*' }).first()).to.deep.include({ n: 0 });
  });

  it('a well-signed body that is not a valid event gets 400 naming the field', async () => {
    const { payload, headers } = signed({ type: 'employee.fired', timestamp: '2026-11-23T01:00:00Z', data: {} });
    const res = await w.api.post('/union/hooks/employee-events').set(headers).send(payload).expect(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).to.include.members(['event.type', 'event.data.employeeId']);
  });
});
