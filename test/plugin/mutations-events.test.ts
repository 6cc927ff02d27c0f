import { expect } from 'chai';
import type { HostEvent } from '../../plugin/host';
import { ingestEvent } from '../../plugin/sync/events';
import { makeWorld, type World } from '../helpers/harness';

let seq = 0;
const ev = (type: HostEvent['type'], data: HostEvent['data'], timestamp: string): HostEvent => ({
  id: `evt_mut_${++seq}`,
  type,
  timestamp,
  data,
});

/** Events that arrive out of order: the older one never overwrites what a newer one established. */
describe('stale out-of-order events change nothing', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());
  const fact = (id: string) => w.db('union_employees').where({ employee_id: id }).first();
  const membership = (id: string) => w.db('union_memberships').where({ employee_id: id }).first();
  const trail = async (id: string) => {
    const m = await membership(id);
    return {
      history: (await w.db('union_membership_history').where({ membership_id: m.id }).orderBy('id')).map((h) => h.to_status),
      audit: (await w.db('union_audit').where({ entity: 'membership', entity_id: id }).orderBy('id')).map((a) => a.action),
      notes: w.notify.getCalls().filter((c) => c.args[0].to.includes(id)).length,
    };
  };

  it('an older employee.hired after a newer one: stale; hire date, department and membership stay', async () => {
    const ctx = w.plugin.ctx;
    await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'H1', departmentId: 'D02', hireDate: '2026-11-01' }, '2026-11-01T01:00:00Z'),
      'inproc',
    );
    const outcome = await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'H1', departmentId: 'D01', hireDate: '2025-05-01' }, '2025-05-01T01:00:00Z'),
      'inproc',
    );
    expect(outcome).to.equal('stale');
    const f = await fact('H1');
    expect(f).to.include({ department_id: 'D02' });
    expect(String(f.hire_date).slice(0, 10)).to.equal('2026-11-01');
    const m = await membership('H1');
    expect(m).to.include({ status: 'active', department_id: 'D02' });
    expect(String(m.joined_at).slice(0, 10)).to.equal('2026-11-01');
    expect(await trail('H1')).to.deep.equal({ history: ['active'], audit: ['membership.join'], notes: 1 });
  });

  it('the same hire redelivered with an older time and another department does not move the person back', async () => {
    const ctx = w.plugin.ctx;
    await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'H2', departmentId: 'D01', hireDate: '2026-11-01' }, '2026-11-01T01:00:00Z'),
      'inproc',
    );
    await ingestEvent(ctx, ev('employee.transferred', { employeeId: 'H2', departmentId: 'D03' }, '2026-11-10T01:00:00Z'), 'inproc');
    const outcome = await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'H2', departmentId: 'D04', hireDate: '2026-11-01' }, '2026-11-05T01:00:00Z'),
      'inproc',
    );
    expect(outcome).to.equal('noop');
    expect(await fact('H2')).to.include({ department_id: 'D03' });
    expect(await membership('H2')).to.include({ department_id: 'D03' });
  });

  it('an older employee.transferred after a newer one: stale; department and membership stay, one transfer recorded', async () => {
    const ctx = w.plugin.ctx;
    await ingestEvent(
      ctx,
      ev('employee.hired', { employeeId: 'T1', departmentId: 'D01', hireDate: '2026-10-01' }, '2026-10-01T01:00:00Z'),
      'inproc',
    );
    await ingestEvent(ctx, ev('employee.transferred', { employeeId: 'T1', departmentId: 'D03' }, '2026-11-20T01:00:00Z'), 'inproc');
    const outcome = await ingestEvent(
      ctx,
      ev('employee.transferred', { employeeId: 'T1', departmentId: 'D02' }, '2026-11-10T01:00:00Z'),
      'inproc',
    );
    expect(outcome).to.equal('stale');
    expect(await fact('T1')).to.include({ department_id: 'D03' });
    expect(await membership('T1')).to.include({ department_id: 'D03', status: 'active' });
    expect(await trail('T1')).to.deep.equal({
      history: ['active', 'active'],
      audit: ['membership.join', 'membership.transfer'],
      notes: 1,
    });
    expect(await w.db('union_events').where({ employee_id: 'T1', outcome: 'stale' })).to.have.length(1);
  });
});
