import { expect } from 'chai';
import { addMonths, categoryOf, retirementAge, retirementDate, type RetirementCategory } from '../../plugin/lib/retirement';

/** The reform's tables at their edges: before the first cohort, each cohort's first and last month, the caps. */
const ROWS: Array<[RetirementCategory, birth: string, age: string, date: string]> = [
  // men: 60 -> 63, a month per 4 months of birth from 1965-01
  ['male', '1964-12-15', '60y0m', '2024-12-15'],
  ['male', '1965-01-01', '60y1m', '2025-02-01'],
  ['male', '1965-04-30', '60y1m', '2025-05-30'],
  ['male', '1965-05-01', '60y2m', '2025-07-01'],
  ['male', '1965-08-31', '60y2m', '2025-10-31'],
  ['male', '1965-09-10', '60y3m', '2025-12-10'],
  ['male', '1966-12-10', '60y6m', '2027-06-10'],
  ['male', '1970-01-10', '61y4m', '2031-05-10'],
  ['male', '1976-05-10', '62y11m', '2039-04-10'],
  ['male', '1976-08-31', '62y11m', '2039-07-31'],
  ['male', '1976-09-01', '63y0m', '2039-09-01'],
  ['male', '1990-06-15', '63y0m', '2053-06-15'],
  // women cadres: 55 -> 58, a month per 4 months from 1970-01
  ['female_cadre', '1969-12-31', '55y0m', '2024-12-31'],
  ['female_cadre', '1970-01-31', '55y1m', '2025-02-28'],
  ['female_cadre', '1970-04-01', '55y1m', '2025-05-01'],
  ['female_cadre', '1970-05-01', '55y2m', '2025-07-01'],
  ['female_cadre', '1981-08-01', '57y11m', '2039-07-01'],
  ['female_cadre', '1981-09-01', '58y0m', '2039-09-01'],
  ['female_cadre', '1995-01-01', '58y0m', '2053-01-01'],
  // women workers: 50 -> 55, a month per 2 months from 1975-01
  ['female_worker', '1974-12-01', '50y0m', '2024-12-01'],
  ['female_worker', '1975-01-01', '50y1m', '2025-02-01'],
  ['female_worker', '1975-02-28', '50y1m', '2025-03-28'],
  ['female_worker', '1975-03-01', '50y2m', '2025-05-01'],
  ['female_worker', '1976-12-01', '51y0m', '2027-12-01'],
  ['female_worker', '1984-10-01', '54y11m', '2039-09-01'],
  ['female_worker', '1984-11-01', '55y0m', '2039-11-01'],
  ['female_worker', '1984-12-01', '55y0m', '2039-12-01'],
  ['female_worker', '2000-01-01', '55y0m', '2055-01-01'],
];

describe('retirement: the statutory date under the 2025 gradual reform', () => {
  for (const [category, birth, age, date] of ROWS) {
    it(`${category} born ${birth}: ${age}, retires ${date}`, () => {
      const a = retirementAge(category, birth);
      expect(`${a.years}y${a.months}m`).to.equal(age);
      expect(retirementDate(category, birth)).to.equal(date);
    });
  }

  it('adds months keeping the day or the last day of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).to.equal('2024-02-29');
    expect(addMonths('2023-01-31', 1)).to.equal('2023-02-28');
    expect(addMonths('2024-11-15', 2)).to.equal('2025-01-15');
  });

  it("a woman's category comes from HR when given, else from the setting", () => {
    expect(categoryOf('M', 'cadre', 'worker')).to.equal('male');
    expect(categoryOf('F', 'cadre', 'worker')).to.equal('female_cadre');
    expect(categoryOf('F', 'worker', 'cadre')).to.equal('female_worker');
    expect(categoryOf('F', undefined, 'cadre')).to.equal('female_cadre');
    expect(categoryOf('F', 'other', 'worker')).to.equal('female_worker');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => retirementDate('male', '1965/01/01')).to.throw(RangeError);
  });
});
