import { expect } from 'chai';
import { sqlDateTime, sqlFromIso } from '../../plugin/lib/time';
import { isoFromSql } from '../../examples/host/time';

/** The fast paths that skip building a Date must give exactly what the Date round trip gives. */
describe('time forms: ISO <-> stored datetime without a Date', () => {
  const cases = [
    '2026-12-06T10:26:10.966Z',
    '2026-01-01T00:00:00.000Z',
    '1999-12-31T23:59:59.999Z',
    '2026-12-06T18:26:10.966+08:00', // an offset: the slow path
    '2026-12-06T10:26:10Z', // no milliseconds: the slow path
  ];
  for (const iso of cases) {
    it(`sqlFromIso(${iso})`, () => {
      expect(sqlFromIso(iso)).to.equal(sqlDateTime(new Date(iso)));
    });
  }
  for (const sql of ['2026-12-06 10:26:10.966', '2026-01-01 00:00:00.000', '2026-12-06 10:26:10']) {
    it(`isoFromSql(${sql}) round-trips`, () => {
      expect(isoFromSql(sql)).to.equal(new Date(`${sql.replace(' ', 'T')}Z`).toISOString());
      expect(sqlFromIso(isoFromSql(sql))).to.equal(sqlDateTime(new Date(`${sql.replace(' ', 'T')}Z`)));
    });
  }
});
