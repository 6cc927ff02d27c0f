import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** A host that pushes its events over the signed webhook: care's groups follow at once, not the next night. */
describe('care: host events by webhook', () => {
  const secret = 'whsec_' + Buffer.from('a-very-secret-key-for-tests-0123').toString('base64');
  let w: World;
  beforeEach(async () => (w = await makeWorld({ env: { UNION_WEBHOOK_SECRET: secret } })));
  afterEach(async () => w.close());

  const post = (body: object, id: string) => {
    const payload = JSON.stringify(body);
    const at = new Date();
    return w.api
      .post('/union/hooks/employee-events')
      .set({
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, at, payload),
        'content-type': 'application/json',
      })
      .send(payload)
      .expect(200);
  };
  const shiftWorkers = async () => {
    const res = await w.api
      .get('/union/api/service-groups/shift_worker/members?limit=500')
      .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
      .expect(200);
    return res.body.items.map((i: { employeeId: string }) => i.employeeId) as string[];
  };

  it('a transfer into shift work sent by webhook updates the care profile right away, once per webhook-id', async () => {
    const [someone] = await w.db('host_employees').where({ status: 'employed', shift_worker: false }).select('id');
    // HR changed the record but told the module only by webhook (no in-process event).
    await w.db('host_employees').where({ id: someone.id }).update({ shift_worker: true, department_id: 'D02' });
    expect(await shiftWorkers()).to.not.include(someone.id);
    const body = { type: 'employee.transferred', timestamp: '2026-11-23T01:00:00Z', data: { employeeId: someone.id, departmentId: 'D02' } };
    await post(body, 'msg_care_1');
    expect(await shiftWorkers()).to.include(someone.id);
    const audits = () => w.db('union_audit').where({ action: 'care.profile.refreshed', entity_id: someone.id }).count({ n: '*' }).first();
    expect(Number((await audits())!.n)).to.equal(1);
    const again = await post(body, 'msg_care_1');
    expect(again.body.outcome).to.equal('duplicate');
    expect(Number((await audits())!.n)).to.equal(1);
  });

  it('an exit sent by webhook takes the person out of the groups at once', async () => {
    const [someone] = await w.db('host_employees').where({ status: 'employed', shift_worker: true }).select('id');
    await w.db('host_employees').where({ id: someone.id }).update({ status: 'exited', exit_date: '2026-11-23' });
    await post(
      {
        type: 'employee.exited',
        timestamp: '2026-11-23T01:00:00Z',
        data: { employeeId: someone.id, exitDate: '2026-11-23', reason: 'resigned' },
      },
      'msg_care_2',
    );
    expect(await shiftWorkers()).to.not.include(someone.id);
  });
});
