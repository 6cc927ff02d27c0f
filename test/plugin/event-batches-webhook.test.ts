import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import type { HostEvent } from '../../plugin/host';
import { applyEvents, type Delivery } from '../../plugin/sync/event-batch';
import { EventQueue, eventQueue } from '../../plugin/sync/event-queue';
import { makeWorld, type World } from '../helpers/harness';

const secret = 'whsec_' + Buffer.from('a-very-secret-key-for-tests-0123').toString('base64');
let seq = 0;
const ev = (type: HostEvent['type'], data: HostEvent['data'], timestamp: string): HostEvent => ({
  id: `evt_q_${++seq}`,
  type,
  timestamp,
  data,
});
const delivery = (event: HostEvent): Delivery => ({ event, id: event.id!, via: 'webhook' });

function signed(event: HostEvent) {
  const payload = JSON.stringify(event);
  const at = new Date();
  return {
    payload,
    headers: {
      'webhook-id': event.id!,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(event.id!, at, payload),
      'content-type': 'application/json',
    },
  };
}

describe('webhook deliveries in batches', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ env: { UNION_WEBHOOK_SECRET: secret } })));
  afterEach(async () => w.close());

  it('40 concurrent deliveries (hires, later transfers, resends) are all answered 200 and each applied once', async () => {
    const hires = Array.from({ length: 24 }, (_, i) =>
      ev('employee.hired', { employeeId: `Q${i}`, departmentId: 'D01', hireDate: '2026-11-20' }, '2026-11-20T01:00:00Z'),
    );
    const moves = hires
      .slice(0, 8)
      .map((h) => ev('employee.transferred', { employeeId: h.data.employeeId, departmentId: 'D02' }, '2026-11-21T01:00:00Z'));
    const sends = [...hires, ...moves, ...hires.slice(10, 18)];
    const answers = await Promise.all(
      sends.map((e) => {
        const { payload, headers } = signed(e);
        return w.api.post('/union/hooks/employee-events').set(headers).send(payload);
      }),
    );
    expect(answers.map((a) => a.status)).to.deep.equal(sends.map(() => 200));
    expect(answers.filter((a) => a.body.outcome === 'duplicate')).to.have.length(8);
    expect(eventQueue(w.plugin.ctx).largestBatch).to.be.greaterThan(1);

    expect(await w.db('union_events').count({ n: '*' }).first()).to.deep.equal({ n: 32 });
    expect(await w.db('union_events').where('outcome', 'like', 'b:%').first()).to.equal(undefined);
    const joins = await w.db('union_membership_history').where({ to_status: 'active', from_status: null }).pluck('employee_id');
    expect(joins.sort()).to.deep.equal(hires.map((h) => h.data.employeeId).sort());
    const numbers = await w.db('union_memberships').whereIn('employee_id', joins).pluck('member_no');
    expect(new Set(numbers).size).to.equal(24);
    // A transfer folded after its hire, whichever batch each landed in.
    const moved = await w.db('union_employees').whereIn('employee_id', ['Q0', 'Q7']).pluck('department_id');
    expect(moved).to.deep.equal(['D02', 'D02']);
  });

  it('an event that cannot be stored fails alone: the others in its batch are applied and answered', async () => {
    const queue = new EventQueue(w.plugin.ctx);
    const at = '2026-11-20T01:00:00Z';
    const good = (i: number) => ev('employee.hired', { employeeId: `G${i}`, departmentId: 'D01', hireDate: '2026-11-20' }, at);
    // Over the 64 KB the payload column holds: the whole batch's transaction fails on it.
    const huge = { ...good(9), note: 'x'.repeat(70_000) } as HostEvent;
    const events = [good(0), good(1), huge, good(2), good(3)];
    const settled = await Promise.allSettled(events.map((e) => queue.submit(delivery(e))));
    expect(queue.largestBatch).to.equal(4); // the first went alone, the rest queued behind it
    expect(settled.map((s) => s.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const members = await w.db('union_memberships').orderBy('employee_id').pluck('employee_id');
    expect(members).to.deep.equal(['G0', 'G1', 'G2', 'G3']);
    expect(await w.db('union_events').where({ id: huge.id }).first()).to.equal(undefined);
  });

  it('a batch chosen as a deadlock victim is retried inside the writer and applies once', async function () {
    this.timeout(60_000);
    await applyEvents(
      w.plugin.ctx,
      ['P1', 'P2'].map((p) =>
        delivery(ev('employee.hired', { employeeId: p, departmentId: 'D01', hireDate: '2026-11-20' }, '2026-11-20T01:00:00Z')),
      ),
    );
    const deadlocks = async () => Number((await w.db.raw("show global status like 'Innodb_deadlocks'"))[0][0].Value);
    const before = await deadlocks();
    // Another writer locks P2 first and has done more work (InnoDB rolls back the lighter transaction).
    const other = await w.db.transaction();
    await other('union_employees').where({ employee_id: 'P2' }).forUpdate().select('employee_id');
    const rows = Array.from({ length: 50 }, (_, i) => ({
      at: '2026-11-23 00:00:00.000',
      actor: 'test',
      actor_kind: 'system',
      action: 'test.weight',
      entity: 'test',
      entity_id: String(i),
    }));
    await other('union_audit').insert(rows);
    const moves = ['P1', 'P2'].map((p) => ev('employee.transferred', { employeeId: p, departmentId: 'D02' }, '2026-11-21T01:00:00Z'));
    const batch = applyEvents(w.plugin.ctx, moves.map(delivery));
    // Wait until the batch holds P1 and waits for P2, then ask for P1: a cycle.
    for (let i = 0; i < 200; i++) {
      // Only this database's transactions: other test databases share the server.
      const waits = await w.db.raw(
        `select count(*) as n from information_schema.innodb_trx t join information_schema.processlist p on p.id = t.trx_mysql_thread_id
          where t.trx_state = 'LOCK WAIT' and p.db = database()`,
      );
      if (Number(waits[0][0].n) > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await other('union_employees').where({ employee_id: 'P1' }).forUpdate().select('employee_id');
    await other.rollback();
    expect(await batch).to.deep.equal(['applied', 'applied']);
    expect(await deadlocks()).to.be.greaterThan(before); // the cycle happened, and the batch was its victim
    const transfers = await w.db('union_membership_history').where({ reason: 'department_changed' }).pluck('employee_id');
    expect(transfers.sort()).to.deep.equal(['P1', 'P2']);
    expect(await w.db('union_events').whereIn('id', [moves[0].id, moves[1].id]).pluck('outcome')).to.deep.equal(['applied', 'applied']);
  });
});
