import { expect } from 'chai';
import { dayRangeSql } from '../../plugin/lib/workdays';

/** Local calendar days as stored UTC instants: the first millisecond of `from` to the last of `to`. */
describe('dayRangeSql', () => {
  const cases: Array<[string, string, string, { start: string; end: string }]> = [
    ['2026-12-01', '2026-12-31', 'Asia/Shanghai', { start: '2026-11-30 16:00:00.000', end: '2026-12-31 15:59:59.999' }],
    ['2026-01-01', '2026-01-01', 'Asia/Shanghai', { start: '2025-12-31 16:00:00.000', end: '2026-01-01 15:59:59.999' }],
    ['2026-03-01', '2026-03-31', 'UTC', { start: '2026-03-01 00:00:00.000', end: '2026-03-31 23:59:59.999' }],
  ];
  for (const [from, to, tz, want] of cases) it(`${from}..${to} in ${tz}`, () => expect(dayRangeSql(from, to, tz)).to.deep.equal(want));
});
