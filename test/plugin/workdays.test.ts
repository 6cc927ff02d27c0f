import { expect } from 'chai';
import { endOfDay, knowsYear, WorkCalendar, type DayKind } from '../../plugin/lib/workdays';

describe('working days on China’s official calendar', () => {
  const cal = () => new WorkCalendar();

  const adds: Array<[string, string, number, string]> = [
    ['National Day 2025: the day before the holiday + 1 is the first day back', '2025-09-30', 1, '2025-10-09'],
    ['National Day 2025: + 3 lands on the 调休 Saturday', '2025-09-30', 3, '2025-10-11'],
    ['National Day 2025: + 4 skips the Sunday after it', '2025-09-30', 4, '2025-10-13'],
    ['the 调休 Sunday before National Day 2025 is a working day', '2025-09-26', 1, '2025-09-28'],
    ['Spring Festival 2026: the 调休 Saturday before it', '2026-02-13', 1, '2026-02-14'],
    ['Spring Festival 2026: the nine days off are skipped', '2026-02-13', 2, '2026-02-24'],
    ['Spring Festival 2026: the 调休 Saturday after it', '2026-02-27', 1, '2026-02-28'],
    ['a plain weekend is skipped', '2026-11-20', 1, '2026-11-23'],
    ['n = 0 on a working day is that day', '2026-11-23', 0, '2026-11-23'],
    ['n = 0 on a Saturday is the next working day', '2026-11-21', 0, '2026-11-23'],
    ['n = 0 inside a holiday is the first day back', '2025-10-03', 0, '2025-10-09'],
    ['five working days after a Monday in a plain week', '2026-11-23', 5, '2026-11-30'],
  ];
  for (const [name, from, n, want] of adds) {
    it(`addWorkingDays: ${name}`, () => expect(cal().addWorkingDays(from, n)).to.equal(want));
  }

  it('workingDaysBetween counts (a, b] and is the inverse of addWorkingDays', () => {
    const c = cal();
    expect(c.workingDaysBetween('2025-09-30', '2025-10-13')).to.equal(4);
    expect(c.workingDaysBetween('2025-10-13', '2025-09-30')).to.equal(-4);
    expect(c.workingDaysBetween('2026-02-13', '2026-02-24')).to.equal(2);
    expect(c.workingDaysBetween('2026-11-23', '2026-11-23')).to.equal(0);
    for (const n of [1, 2, 5, 9]) expect(c.workingDaysBetween('2025-09-26', c.addWorkingDays('2025-09-26', n))).to.equal(n);
  });

  it('the administrators’ days override the official calendar both ways', () => {
    const own = new Map<string, DayKind>([
      ['2026-11-23', 'holiday'],
      ['2026-11-22', 'workday'],
      ['2025-10-08', 'workday'],
    ]);
    const c = new WorkCalendar(own);
    expect(c.addWorkingDays('2026-11-20', 1)).to.equal('2026-11-22');
    expect(c.addWorkingDays('2026-11-20', 2)).to.equal('2026-11-24');
    expect(c.addWorkingDays('2025-09-30', 1)).to.equal('2025-10-08');
    expect(c.estimated).to.equal(false);
  });

  it('a year the package does not know is flagged, never silently guessed', () => {
    expect(knowsYear(2025)).to.equal(true);
    expect(knowsYear(2026)).to.equal(true);
    expect(knowsYear(2031)).to.equal(false);
    const c = new WorkCalendar(new Map([['2031-01-02', 'holiday']]));
    expect(c.addWorkingDays('2031-01-01', 1)).to.equal('2031-01-03');
    expect(c.estimated).to.equal(true);
    expect([...c.guessedYears]).to.deep.equal([2031]);
    const known = cal();
    known.addWorkingDays('2026-06-01', 3);
    expect(known.estimated).to.equal(false);
  });

  it('a deadline ends with the last millisecond of the day in Shanghai', () => {
    expect(endOfDay('2025-10-13', 'Asia/Shanghai').toISOString()).to.equal('2025-10-13T15:59:59.999Z');
    expect(endOfDay('2026-03-01', 'UTC').toISOString()).to.equal('2026-03-01T23:59:59.999Z');
  });
});
