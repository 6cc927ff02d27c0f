import { expect } from 'chai';
import { parseLedger } from '../../plugin/sync/ledger-parse';
import { classify, indexPeople, type Existing, type Person } from '../../plugin/sync/ledger-match';

/**
 * The four ledger rows a mutation review found unguarded: a name that differs from the HR record, a member
 * number someone else already holds, a join date in the future, and an employee number written in lower case.
 * Each goes through the real parser and the real classifier.
 */
const TODAY = '2026-11-23';
const person = (id: string, employeeNo: string, name: string): Person => ({
  id,
  employeeNo,
  name,
  departmentId: 'D01',
  status: 'employed',
  hireDate: '2020-01-01',
  exitDate: null,
  exitReason: null,
  updatedAt: '2026-01-01T00:00:00Z',
});
const PEOPLE = [
  person('E1', 'EM0001', '张伟'),
  person('E2', 'EM0002', '李娜'),
  person('E3', 'EM0003', '王芳'),
  person('E4', 'EM0004', '刘洋'),
];
const ix = indexPeople(PEOPLE, [{ id: 'D01', name: '生产部' }]);
// 李娜 (E2) is already a member under GH20190007.
const existing: Existing = {
  byEmployee: new Map([['E2', { memberNo: 'GH20190007', status: 'active' }]]),
  ownerOfNo: new Map([['GH20190007', 'E2']]),
};

async function classifyCsv(lines: string[]) {
  const csv = ['序号,姓名,工号,部门,会员编号,入会日期', ...lines].join('\r\n');
  const parsed = await parseLedger(Buffer.from(csv, 'utf8'), 'ledger.csv');
  return classify(parsed.rows, ix, existing, { today: TODAY, retirementReasons: ['退休'] }, parsed.columns);
}

describe('ledger import: the four edge rows', () => {
  it('an employee number that belongs to someone of another name is not matched (never the wrong person)', async () => {
    const [row] = await classifyCsv(['1,张三,EM0001,生产部,GH20190001,2019-03-01']);
    expect(row.class).to.equal('unmatched');
    expect(row.reason).to.include({ code: 'name_mismatch', value: 'EM0001' });
    expect(row.employee).to.equal(null);
  });

  it('a member number another person already holds is a conflict, not a second owner', async () => {
    const [row] = await classifyCsv(['2,王芳,EM0003,生产部,GH20190007,2019-03-01']);
    expect(row.class).to.equal('conflict');
    expect(row.reason).to.include({ code: 'number_taken', value: 'GH20190007' });
  });

  it('a join date after today is invalid, naming the column', async () => {
    const [row] = await classifyCsv(['3,刘洋,EM0004,生产部,GH20260099,2026-11-24']);
    expect(row.class).to.equal('invalid');
    expect(row.reason).to.include({ code: 'future_date', value: '2026-11-24' });
    const [today] = await classifyCsv(['3,刘洋,EM0004,生产部,GH20260099,2026-11-23']);
    expect(today.class).to.equal('matched', 'today itself is not in the future');
  });

  it('an employee number in lower case (or full width) matches the same person', async () => {
    const rows = await classifyCsv(['4,张伟,em0001,生产部,GH20190001,2019-03-01', '5,刘洋,ＥＭ０００４,生产部,GH20190004,2019-03-01']);
    expect(rows.map((r) => [r.class, r.employee?.id])).to.deep.equal([
      ['matched', 'E1'],
      ['matched', 'E4'],
    ]);
  });
});
