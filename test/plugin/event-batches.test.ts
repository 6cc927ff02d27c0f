import { expect } from 'chai';
import type { HostEvent } from '../../plugin/host';
import { applyEvents, type Delivery } from '../../plugin/sync/event-batch';
import { ingestEvent } from '../../plugin/sync/events';
import { makeWorld, type World } from '../helpers/harness';

let seq = 0;
const ev = (type: HostEvent['type'], data: HostEvent['data'], timestamp: string, id = `evt_b_${++seq}`): HostEvent => ({
  id,
  type,
  timestamp,
  data,
});
const delivery = (event: HostEvent): Delivery => ({ event, id: event.id!, via: 'webhook' });

/**
 * People with several events each, some out of order, plus a stale one, a no-op for someone unknown and
 * an update read from the host. In occurrence order (the timestamps).
 */
const STORY: HostEvent[] = [
  ev('employee.hired', { employeeId: 'B1', departmentId: 'D01', hireDate: '2026-11-02' }, '2026-11-02T01:00:00Z'),
  ev('employee.hired', { employeeId: 'B2', departmentId: 'D02', hireDate: '2026-11-03' }, '2026-11-03T01:00:00Z'),
  ev('employee.transferred', { employeeId: 'B1', departmentId: 'D03' }, '2026-11-04T01:00:00Z'),
  ev('employee.hired', { employeeId: 'B3', departmentId: 'D01', hireDate: '2026-11-05' }, '2026-11-05T01:00:00Z'),
  ev('employee.exited', { employeeId: 'B2', exitDate: '2026-11-20', reason: '个人原因' }, '2026-11-20T01:00:00Z'),
  ev('employee.exited', { employeeId: 'B3', exitDate: '2026-11-10', reason: 'retired', retired: true }, '2026-11-10T01:00:00Z'),
  ev('employee.hired', { employeeId: 'B3', departmentId: 'D02', hireDate: '2026-11-21' }, '2026-11-21T01:00:00Z'),
  ev('employee.transferred', { employeeId: 'B1', departmentId: 'D02' }, '2026-11-22T01:00:00Z'),
  ev('employee.updated', { employeeId: 'nobody' }, '2026-11-22T02:00:00Z'),
  ev('employee.updated', { employeeId: 'E000020' }, '2026-11-22T03:00:00Z'),
].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));

const PEOPLE = ['B1', 'B2', 'B3', 'E000020', 'nobody'];

async function stateOf(w: World) {
  const facts = await w
    .db('union_employees')
    .whereIn('employee_id', PEOPLE)
    .orderBy('employee_id')
    .select('employee_id', 'department_id', 'status', 'hire_date', 'exit_date', 'retired', 'hire_applied', 'fact_at', 'dept_at', 'version');
  const memberships = await w
    .db('union_memberships')
    .whereIn('employee_id', PEOPLE)
    .orderBy('employee_id')
    .select('employee_id', 'status', 'org_id', 'department_id', 'joined_at', 'expired_at', 'status_reason', 'consent_method');
  const numbered = await w.db('union_memberships').whereIn('employee_id', PEOPLE).whereNotNull('member_no').pluck('employee_id');
  // Per person in the order written; the batch interleaves people differently, never one person's steps.
  const history = await w
    .db('union_membership_history')
    .whereIn('employee_id', PEOPLE)
    .orderBy(['employee_id', 'id'])
    .select('employee_id', 'from_status', 'to_status', 'from_org_id', 'to_org_id', 'effective_date', 'reason', 'source', 'actor');
  const audit = await w
    .db('union_audit')
    .where({ entity: 'membership' })
    .whereIn('entity_id', PEOPLE)
    .orderBy(['entity_id', 'id'])
    .select('entity_id', 'action', 'actor', 'actor_kind');
  const events = await w.db('union_events').orderBy('id').select('id', 'outcome');
  return { facts, memberships, numbered: numbered.sort(), history, audit, events };
}

describe('host events in batches', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('one batch, in any arrival order, leaves what the events one at a time in occurrence order leave', async function () {
    this.timeout(180_000); // four fresh databases
    w = await makeWorld();
    for (const e of STORY) await ingestEvent(w.plugin.ctx, e, 'webhook');
    const serial = await stateOf(w);
    await w.close();

    for (const arrival of [[...STORY].reverse(), STORY, [...STORY].sort((a, b) => (a.id! < b.id! ? 1 : -1))]) {
      w = await makeWorld();
      const outcomes = await applyEvents(w.plugin.ctx, arrival.map(delivery));
      expect(outcomes).to.have.length(arrival.length);
      expect(await stateOf(w)).to.deep.equal(serial);
      await w.close();
      w = undefined;
    }
    // The story did what it says: moves, an expiry, a retirement that a later re-hire ends.
    expect(serial.memberships.map((m) => [m.employee_id, m.status])).to.deep.equal([
      ['B1', 'active'],
      ['B2', 'expired'],
      ['B3', 'active'],
    ]);
    expect(serial.facts.map((f) => f.employee_id)).to.deep.equal(['B1', 'B2', 'B3', 'E000020']);
    expect(new Set(serial.history.map((h) => h.actor)).size).to.be.greaterThan(3);
  });

  it('answers each delivery: a stored id and a repeat inside the batch are duplicates; nothing stays marked as in flight', async () => {
    w = await makeWorld();
    const first = ev('employee.hired', { employeeId: 'D1', departmentId: 'D01', hireDate: '2026-11-20' }, '2026-11-20T01:00:00Z');
    expect(await ingestEvent(w.plugin.ctx, first, 'webhook')).to.equal('applied');
    const hire = ev('employee.hired', { employeeId: 'D2', departmentId: 'D01', hireDate: '2026-11-20' }, '2026-11-20T02:00:00Z');
    const unknown = ev('employee.transferred', { employeeId: 'D3', departmentId: 'D02' }, '2026-11-19T02:00:00Z');
    const outcomes = await applyEvents(w.plugin.ctx, [first, hire, hire, unknown].map(delivery));
    expect(outcomes).to.deep.equal(['duplicate', 'applied', 'duplicate', 'applied']);
    // A transfer older than the hire's department, in the next batch, is stale as it would be alone.
    const older = ev('employee.transferred', { employeeId: 'D2', departmentId: 'D02' }, '2026-11-19T02:00:00Z');
    expect(await applyEvents(w.plugin.ctx, [older, hire].map(delivery))).to.deep.equal(['stale', 'duplicate']);
    const stored = await w.db('union_events').whereIn('id', [first.id, hire.id, older.id, unknown.id]).orderBy('id').pluck('outcome');
    expect(stored.sort()).to.deep.equal(['applied', 'applied', 'applied', 'stale']);
    // The transfer of someone never hired is a known fact now, but makes nobody a member.
    expect(await w.db('union_memberships').where({ employee_id: 'D3' }).first()).to.equal(undefined);
    const d2 = await w.db('union_membership_history').where({ employee_id: 'D2' }).select('actor');
    expect(d2.map((h) => h.actor)).to.deep.equal([`event:${hire.id}`]);
  });

  it('an update for someone unknown leaves no placeholder behind, even beside real changes', async () => {
    w = await makeWorld();
    const outcomes = await applyEvents(
      w.plugin.ctx,
      [
        ev('employee.updated', { employeeId: 'ghost' }, '2026-11-20T01:00:00Z'),
        ev('employee.hired', { employeeId: 'P1', departmentId: 'D01', hireDate: '2026-11-20' }, '2026-11-20T01:00:00Z'),
      ].map(delivery),
    );
    expect(outcomes).to.deep.equal(['noop', 'applied']);
    expect(await w.db('union_employees').where({ employee_id: 'ghost' }).first()).to.equal(undefined);
  });
});
