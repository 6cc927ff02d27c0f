import { expect } from 'chai';
import { loadEmployeesCsv } from '../../examples/host/seed';
import { bearer, makeWorld, type World } from '../helpers/harness';

/**
 * What the import says about a row is what happens to it: a retiree is kept as 保留会籍 before and after
 * the commit, a 工号 that was given but is unknown is worded as such, and a join date before the hire
 * date is pointed out without refusing the row (members transferred in keep their first join date).
 */
const EMPLOYEES = [
  'employee_no,name,department,gender,birth_date,hire_date,status,exit_date,phone',
  'EM0101,周退休,生产二车间,M,1960-05-01,1990-03-01,retired,2025-06-30,',
  'EM0102,吴在职,生产二车间,F,1990-01-01,2018-04-01,employed,,',
  'EM0103,郑早入,质检部,M,1992-01-01,2021-09-01,employed,,',
  'EM0104,王离职,质检部,M,1988-01-01,2015-01-01,exited,2026-03-31,',
].join('\n');

const LEDGER = [
  '序号,姓名,工号,部门,会员编号,入会日期',
  '1,周退休,EM0101,生产二车间,GH19900001,1990-06-01',
  '2,吴在职,EM9999,生产二车间,GH20180002,2018-05-01',
  '3,郑早入,EM0103,质检部,GH20150003,2015-05-01',
  '4,王离职,EM0104,质检部,GH20150004,2015-03-01',
  '5,无此人,EM8888,质检部,GH20200005,2020-01-01',
  '6,吴在职,EM7777,,GH20200006,2020-01-01',
].join('\r\n');

describe('ledger import wording (台账导入的说明)', () => {
  let w: World;
  const staff = () => w.token('u_staff', ['employee', 'union_staff']);
  before(async () => {
    w = await makeWorld({ employees: 0 });
    await loadEmployeesCsv(w.db, EMPLOYEES);
  });
  after(async () => w.close());

  it('says what each row will become, and the commit agrees: a retiree kept, a leaver expired', async () => {
    const dry = await w.api
      .post('/union/api/imports')
      .set(bearer(staff()))
      .attach('file', Buffer.from(LEDGER, 'utf8'), 'ledger.csv')
      .expect(201);
    const bySeq = Object.fromEntries(dry.body.rows.map((r: { seq: string }) => [r.seq, r])) as Record<
      string,
      { class: string; message: string }
    >;
    expect(bySeq['1'].class).to.equal('exited');
    expect(bySeq['1'].message).to.contain('保留会籍').and.not.contain('失效');
    expect(bySeq['4'].message).to.contain('失效会籍');
    // Given but unknown: the message names the number, never "没有工号".
    expect(bySeq['2'].class).to.equal('matched');
    expect(bySeq['2'].message).to.contain('工号 EM9999 在人事数据中不存在').and.not.contain('没有工号');
    expect(bySeq['5'].class).to.equal('unmatched');
    expect(bySeq['5'].message).to.contain('工号 EM8888 在人事数据中不存在');
    expect(bySeq['6'].class).to.equal('unmatched');
    expect(bySeq['6'].message).to.contain('EM7777').and.contain('部门').and.not.contain('没有工号');
    // Joined before hire: imported, but pointed out with the hire date.
    expect(bySeq['3'].class).to.equal('matched');
    expect(bySeq['3'].message).to.contain('入会日期早于此人的入职日期 2021-09-01');

    const cookie = `hr_session=${staff()}`;
    const before = await w.api.get(`/union/imports/${dry.body.id}?class=exited`).set('Cookie', cookie).expect(200);
    expect(before.text).to.contain('已退休');

    const done = await w.api.post(`/union/api/imports/${dry.body.id}/commit`).set(bearer(staff())).expect(200);
    expect(done.body.result).to.include({ imported: 2, expired: 1, retained: 1, rejected: 2 });
    const statuses = await w.db('union_memberships').select('employee_id', 'status').orderBy('employee_id');
    const byNo = Object.fromEntries(
      await Promise.all(
        statuses.map(async (m) => [(await w.db('host_employees').where({ id: m.employee_id }).first()).employee_no, m.status]),
      ),
    );
    expect(byNo).to.deep.equal({ EM0101: 'retained', EM0102: 'active', EM0103: 'active', EM0104: 'expired' });

    const page = await w.api.get(`/union/imports/${dry.body.id}`).set('Cookie', cookie).expect(200);
    expect(page.text).to.contain('1 名退休人员保留会籍').and.contain('1 条离职人员的失效会籍');
    const exited = await w.api.get(`/union/imports/${dry.body.id}?class=exited`).set('Cookie', cookie).expect(200);
    expect(exited.text).to.contain('已导入（保留会籍）').and.contain('已导入（失效）');
  });
});
