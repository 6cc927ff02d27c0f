import { expect } from 'chai';
import { compilePattern } from '../../plugin/services/member-numbers';
import { ingestEvent } from '../../plugin/sync/events';
import { makeWorld, type World } from '../helpers/harness';

describe('member numbers (会员编号)', () => {
  it('follow the pattern: prefix + join year + a 4-digit sequence that widens past 9999', () => {
    const p = compilePattern('GH{YYYY}{SEQ:4}');
    expect(p.format(p.prefixFor(2023), 1)).to.equal('GH20230001');
    expect(p.format(p.prefixFor(2023), 12345)).to.equal('GH202312345');
    expect(p.parse('GH20239999')).to.deep.equal({ prefix: 'GH2023', seq: 9999 });
    expect(p.parse('GH202312345')).to.deep.equal({ prefix: 'GH2023', seq: 12345 });
    expect(p.parse('XX20230001')).to.equal(null);
    const q = compilePattern('ACME-{YY}-{SEQ:5}');
    expect(q.format(q.prefixFor(2026), 7)).to.equal('ACME-26-00007');
    expect(q.parse('ACME-26-00007')).to.deep.equal({ prefix: 'ACME-26-', seq: 7 });
  });

  describe('on MySQL', () => {
    let w: World;
    before(async () => (w = await makeWorld()));
    after(async () => w.close());

    it('are unique and gap-free when 60 hires arrive at once', async () => {
      const ctx = w.plugin.ctx;
      const hires = Array.from({ length: 60 }, (_, i) =>
        ingestEvent(
          ctx,
          {
            id: `evt_conc_${i}`,
            type: 'employee.hired',
            timestamp: '2026-11-23T01:00:00Z',
            data: { employeeId: `C${String(i).padStart(3, '0')}`, departmentId: 'D01', hireDate: '2026-11-23' },
          },
          'inproc',
        ),
      );
      const outcomes = await Promise.all(hires);
      expect(outcomes.every((o) => o === 'applied')).to.equal(true);
      const nos: string[] = (await w.db('union_memberships').where('employee_id', 'like', 'C%').pluck('member_no')).sort();
      expect(nos).to.have.length(60);
      expect(new Set(nos).size).to.equal(60);
      expect(nos[0]).to.equal('GH20260001');
      expect(nos[59]).to.equal('GH20260060');
    });

    it('are never reused: a number stays with its person after they leave', async () => {
      const ctx = w.plugin.ctx;
      const before = (await w.db('union_memberships').where({ employee_id: 'C000' }).first()).member_no;
      await ingestEvent(
        ctx,
        {
          id: 'evt_leave',
          type: 'employee.exited',
          timestamp: '2026-11-23T02:00:00Z',
          data: { employeeId: 'C000', exitDate: '2026-11-23' },
        },
        'inproc',
      );
      await ingestEvent(
        ctx,
        {
          id: 'evt_new',
          type: 'employee.hired',
          // A minute after the exit: an event dated beyond now (plus the tolerance) would be refused.
          timestamp: '2026-11-23T02:01:00Z',
          data: { employeeId: 'C999', departmentId: 'D01', hireDate: '2026-11-23' },
        },
        'inproc',
      );
      const leaver = await w.db('union_memberships').where({ employee_id: 'C000' }).first();
      const newcomer = await w.db('union_memberships').where({ employee_id: 'C999' }).first();
      expect(leaver).to.include({ status: 'expired', member_no: before });
      expect(newcomer.member_no).to.equal('GH20260061');
    });
  });
});
