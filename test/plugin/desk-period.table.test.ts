import { expect } from 'chai';
import { asOfDate, monthsOf, parsePeriod, previousPeriod, twelveMonthsTo } from '../../plugin/services/desk/period';
import { formatChange, formatValue } from '../../plugin/services/desk/format';

describe('desk periods and figures (table)', () => {
  const cases: Array<[string, { kind: string; from: string; to: string } | null, string | null]> = [
    ['2026-11', { kind: 'month', from: '2026-11-01', to: '2026-11-30' }, '2026-10'],
    ['2026-01', { kind: 'month', from: '2026-01-01', to: '2026-01-31' }, '2025-12'],
    ['2024-02', { kind: 'month', from: '2024-02-01', to: '2024-02-29' }, '2024-01'],
    ['2026-Q1', { kind: 'quarter', from: '2026-01-01', to: '2026-03-31' }, '2025-Q4'],
    ['2026-Q4', { kind: 'quarter', from: '2026-10-01', to: '2026-12-31' }, '2026-Q3'],
    ['2026', { kind: 'year', from: '2026-01-01', to: '2026-12-31' }, '2025'],
    ['2026-13', null, null],
    ['2026-Q5', null, null],
    ['26', null, null],
    ['2026-1', null, null],
  ];
  for (const [text, want, prev] of cases) {
    it(`${text} → ${want ? `${want.from}..${want.to}, before it ${prev}` : 'not a period'}`, () => {
      const p = parsePeriod(text);
      if (!want) return expect(p).to.equal(null);
      expect(p).to.include(want);
      expect(previousPeriod(p!).key).to.equal(prev);
    });
  }

  it('months of a quarter; twelve months ending with the period; as of today while it runs', () => {
    expect(monthsOf(parsePeriod('2026-Q2')!)).to.deep.equal(['2026-04', '2026-05', '2026-06']);
    expect(twelveMonthsTo(parsePeriod('2026-03')!)).to.deep.equal([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(asOfDate(parsePeriod('2026')!, '2026-11-23')).to.equal('2026-11-23');
    expect(asOfDate(parsePeriod('2025-Q4')!, '2026-11-23')).to.equal('2025-12-31');
  });

  const shown: Array<[Parameters<typeof formatValue>[0], number | null, string]> = [
    ['rate', 0.8523, '85.2%'],
    ['rate', null, '—'],
    ['score', 4.35, '4.35'],
    ['days', 3, '3.0'],
    ['yuan', 8200, '¥8,200.00'],
  ];
  for (const [unit, v, text] of shown) it(`${unit} ${v} reads ${text}`, () => expect(formatValue(unit, v)).to.equal(text));

  it('a change in percentage points for rates, none without a previous figure', () => {
    expect(formatChange({ unit: 'rate', value: 0.98, previous: 0.85 })).to.deep.equal({ text: '13.0pp', dir: 'up' });
    expect(formatChange({ unit: 'score', value: 3.5, previous: 4 })).to.deep.equal({ text: '0.5', dir: 'down' });
    expect(formatChange({ unit: 'rate', value: 0.5, previous: null })).to.equal(null);
    expect(formatChange({ unit: 'rate', value: 0.5, previous: 0.5 })?.dir).to.equal('flat');
  });
});
