import { expect } from 'chai';
import {
  dataOverdue,
  inForce,
  isException,
  quarterOf,
  quarterStart,
  renewalDue,
  reviewEndsOn,
  standing,
} from '../../plugin/services/contracts/rules';
import { checkOn, type ShortfallRow, type StepInput } from '../../plugin/services/contracts/shortfall-flow';

describe('contracts: rules, table by table', () => {
  it('quarters', () => {
    const cases: Array<[string, string, string]> = [
      ['2026-01-01', '2026-Q1', '2026-01-01'],
      ['2026-03-31', '2026-Q1', '2026-01-01'],
      ['2026-04-01', '2026-Q2', '2026-04-01'],
      ['2026-09-30', '2026-Q3', '2026-07-01'],
      ['2026-12-31', '2026-Q4', '2026-10-01'],
    ];
    for (const [day, q, start] of cases) expect([quarterOf(day), quarterStart(quarterOf(day))], day).to.deep.equal([q, start]);
  });

  it('the term, both ends included, and the bureau review period', () => {
    const c = { startsOn: '2024-01-01', endsOn: '2026-12-31' };
    expect([inForce(c, '2023-12-31'), inForce(c, '2024-01-01'), inForce(c, '2026-12-31'), inForce(c, '2027-01-01')]).to.deep.equal([
      false,
      true,
      true,
      false,
    ]);
    expect(reviewEndsOn('2023-12-25', 15)).to.equal('2024-01-09');
    expect(reviewEndsOn(null, 15)).to.equal(null);
  });

  it('the renewal reminder is due from the setting day up to the end, never after', () => {
    const cases: Array<[today: string, days: number, due: boolean]> = [
      ['2026-10-31', 60, false],
      ['2026-11-01', 60, true],
      ['2026-12-31', 60, true],
      ['2027-01-01', 60, false],
      ['2026-12-01', 30, true],
      ['2026-11-30', 30, false],
    ];
    for (const [today, days, due] of cases) expect(renewalDue('2026-12-31', today, days), `${today} ${days}`).to.equal(due);
  });

  it('overdue data, standings and exceptions', () => {
    const item = (result: 'met' | 'not_met' | 'data_missing' | null, dataReceivedOn: string | null) => ({
      result,
      dataDueDate: '2026-10-13',
      dataReceivedOn,
    });
    expect(dataOverdue(item(null, null), '2026-10-13')).to.equal(false);
    expect(dataOverdue(item(null, null), '2026-10-14')).to.equal(true);
    expect(dataOverdue(item(null, '2026-10-14'), '2026-10-20')).to.equal(false);
    expect([standing(null), standing({ result: null }), standing({ result: 'met' })]).to.deep.equal(['unchecked', 'pending', 'met']);
    const ex: Array<[ReturnType<typeof item>, boolean]> = [
      [item('met', '2026-10-10'), false],
      [item('not_met', '2026-10-10'), true],
      [item('data_missing', null), true],
      [item(null, null), true],
      [item(null, '2026-10-12'), false],
    ];
    for (const [i, want] of ex) expect(isException(i, '2026-10-14'), JSON.stringify(i)).to.equal(want);
  });

  it("a shortfall step's day: not in the future, not before the previous step", () => {
    const row = {
      opened_on: '2026-10-09',
      prompted_on: '2026-10-12',
      consulted_on: null,
      letter_on: null,
      checked_on: null,
    } as unknown as ShortfallRow;
    const input = (on: string): StepInput => ({ on, today: '2026-10-15', evidenceFiles: 1 });
    expect(checkOn(input('2026-10-12'), row)).to.equal(null);
    expect(checkOn(input('2026-10-15'), row)).to.equal(null);
    expect(checkOn(input('2026-10-16'), row)?.path).to.equal('body.on');
    expect(checkOn(input('2026-10-11'), row)?.message).to.contain('2026-10-12');
  });
});
