import { expect } from 'chai';
import { isDue, previousPeriod, toCents, type PlanRule } from '../../plugin/services/care/welfare-rules';
import { periodBounds } from '../../plugin/services/care/entitlement';

const plan = (cycle: PlanRule['cycle'], endsOn: string | null = null): PlanRule => ({ cycle, startsOn: '2026-09-15', endsOn });

describe('care: when a welfare plan is due', () => {
  const ROWS: Array<[PlanRule, string, boolean]> = [
    [plan('monthly'), '2026-08', false],
    [plan('monthly'), '2026-09', true],
    [plan('monthly'), '2027-03', true],
    [plan('monthly', '2026-12-31'), '2027-01', false],
    [plan('yearly'), '2026-09', true],
    [plan('yearly'), '2026-10', false],
    [plan('yearly'), '2027-09', true],
    [plan('once'), '2026-09', true],
    [plan('once'), '2026-10', false],
    [plan('per_occurrence'), '2026-09', false],
  ];
  for (const [p, period, due] of ROWS)
    it(`${p.cycle}${p.endsOn ? ' to ' + p.endsOn : ''} in ${period}: ${due}`, () => expect(isDue(p, period)).to.equal(due));

  it('periods, bounds and money', () => {
    expect(previousPeriod('2026-01-05')).to.equal('2025-12');
    expect(previousPeriod('2026-11-23')).to.equal('2026-10');
    expect(periodBounds('2028-02')).to.deep.equal({ start: '2028-02-01', end: '2028-02-29' });
    expect(toCents(19.99)).to.equal(1999);
  });
});
