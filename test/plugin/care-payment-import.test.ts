import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { bearer, makeWorld, type World } from '../helpers/harness';
import { sheetXml, textCell, xlsxWith, zeroBomb } from '../helpers/zip';

/** Finance's payment list (xlsx): matched to people as the legacy-ledger import matches, dry run first, then one commit. */
describe('care: importing finance payment lists', () => {
  let w: World;
  let planId: number;
  let people: Array<{ id: string; employee_no: string; name: string; department: string }>;
  let outsider: { id: string; employee_no: string; name: string };
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const payments = async () => Number((await w.db('union_welfare_payments').count({ n: '*' }).first())!.n);

  async function workbook(rows: Array<Array<string | number>>): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('10月交通补贴');
    ws.addRow(['2026年10月交通补贴发放表']);
    ws.addRow(['序号', '工号', '姓名', '部门', '金额']);
    rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
    ws.addRow(['合计', '', '', '', 9999]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const upload = (file: Buffer, name = '发放表.xlsx') =>
    w.api.post(`/union/api/welfare/imports?planId=${planId}&period=2026-10`).set(staff()).attach('file', file, name);

  before(async () => {
    w = await makeWorld({ employees: 40 });
    await w.db('union_membership_history').delete();
    await w.db('union_memberships').delete();
    const rows = await w
      .db('host_employees as e')
      .join('host_departments as d', 'd.id', 'e.department_id')
      .where('e.status', 'employed')
      .where('e.id', 'like', 'E%')
      .orderBy('e.id')
      .limit(8)
      .select('e.id', 'e.employee_no', 'e.name', 'd.name as department');
    people = rows.slice(0, 7);
    outsider = rows[7];
    await w.db('union_memberships').insert(
      people.map((p) => ({
        employee_id: p.id,
        status: 'active',
        joined_at: '2025-01-01',
        created_at: '2026-01-01 00:00:00.000',
        updated_at: '2026-01-01 00:00:00.000',
      })),
    );
    planId = (
      await w.api
        .post('/union/api/welfare/plans')
        .set(staff())
        .send({ name: '交通补贴', amount: 100, cycle: 'monthly', startsOn: '2026-01-01', audience: 'all_members' })
        .expect(201)
    ).body.id;
    await w.api
      .post('/union/api/welfare/payments')
      .set(staff())
      .send({ planId, period: '2026-10', employeeIds: [people[6].id] })
      .expect(201);
  });
  after(async () => w.close());

  it('the dry run classes every row, names row and column of what is wrong, and records nothing', async () => {
    const [a, b, c, d, e, , g] = people;
    const file = await workbook([
      [a.employee_no, a.name, a.department, 100], // line 3: matched by number
      ['', b.name, b.department, '100.00'], // line 4: matched by name in the department
      ['ZZ9999', '查无此人', '不存在车间', 100], // line 5: unmatched
      [a.employee_no, a.name, a.department, 100], // line 6: the same person again
      [outsider.employee_no, outsider.name, '', 100], // line 7: not a member: not entitled
      [c.employee_no, c.name, '', '一百'], // line 8: not an amount
      [d.employee_no, '别人', '', 100], // line 9: a number that belongs to someone else's name
      [g.employee_no, g.name, '', 100], // line 10: already paid for October
      [e.employee_no, e.name, '', 150], // line 11: not the plan's amount
    ]);
    const before = await payments();
    const res = await upload(file).expect(201);
    expect(res.body.counts).to.deep.equal({ matched: 2, not_entitled: 1, duplicate: 2, unmatched: 2, invalid: 2 });
    expect(await payments()).to.equal(before);
    const detail = await w.api.get(`/union/api/welfare/imports/${res.body.id}`).set(staff()).expect(200);
    const byLine = new Map(detail.body.rows.map((r: { line: number }) => [r.line, r]));
    expect(byLine.get(3)).to.include({ class: 'matched', employeeId: a.id });
    expect(byLine.get(4)).to.include({ class: 'matched', employeeId: b.id });
    expect(byLine.get(5)).to.deep.include({ class: 'unmatched', reason: { code: 'not_found_no', column: '工号', value: 'ZZ9999' } });
    expect(byLine.get(6)).to.deep.include({ class: 'duplicate', reason: { code: 'duplicate_of', row: '3' } });
    expect(byLine.get(7)).to.include({ class: 'not_entitled', employeeId: outsider.id });
    expect(byLine.get(8)).to.deep.include({ class: 'invalid', reason: { code: 'bad_amount', column: '金额', value: '一百' } });
    expect(byLine.get(9)).to.deep.include({ class: 'unmatched', reason: { code: 'name_mismatch', column: '工号', value: d.employee_no } });
    expect(byLine.get(10)).to.deep.include({ class: 'duplicate', reason: { code: 'already_paid' } });
    expect(byLine.get(11)).to.deep.include({ class: 'invalid', reason: { code: 'amount_differs', column: '金额', value: '150.00' } });

    const page = await w.api.get(`/union/welfare/imports/${res.body.id}`).set(staff()).expect(200);
    expect(page.text)
      .to.include('第 5 行')
      .and.include('「工号」列的工号“ZZ9999”在人事数据中不存在')
      .and.include('data-testid="import-commit"');
  });

  it('the commit records the matched rows in one go, tells them, and cannot run twice', async () => {
    const [a, b] = people;
    const file = await workbook([
      [a.employee_no, a.name, a.department, 100],
      ['', b.name, b.department, 100],
      ['ZZ9999', '查无此人', '', 100],
    ]);
    const { id } = (await upload(file).expect(201)).body;
    const before = await payments();
    w.notify.resetHistory();
    const done = await w.api.post(`/union/api/welfare/imports/${id}/commit`).set(staff()).expect(200);
    expect(done.body.recorded).to.equal(2);
    expect(await payments()).to.equal(before + 2);
    expect(w.notify.calledWithMatch({ template: 'union.welfare.paid' })).to.equal(true);
    const again = await w.api.post(`/union/api/welfare/imports/${id}/commit`).set(staff()).expect(409);
    expect(JSON.stringify(again.body)).to.include('committed');
    expect(await payments()).to.equal(before + 2);
  });

  it('a dry run made stale by a later payment is refused at commit, writing nothing', async () => {
    const c = people[2];
    const { id } = (await upload(await workbook([[c.employee_no, c.name, '', 100]])).expect(201)).body;
    await w.api
      .post('/union/api/welfare/payments')
      .set(staff())
      .send({ planId, period: '2026-10', employeeIds: [c.id] })
      .expect(201);
    const before = await payments();
    await w.api.post(`/union/api/welfare/imports/${id}/commit`).set(staff()).expect(409);
    expect(await payments()).to.equal(before);
  });

  it('hostile and wrong files get a 400 naming the file, as the ledger import refuses them', async () => {
    const count = async () => Number((await w.db('union_welfare_imports').count({ n: '*' }).first())!.n);
    const before = await count();
    const notXlsx = await upload(Buffer.from('工号,姓名\nE1,张三\n'), 'list.csv').expect(400);
    expect(notXlsx.body.error.details[0].path).to.equal('file');
    const bomb = await upload(xlsxWith({ bytes: zeroBomb('<?xml version="1.0"?><worksheet><sheetData>', 400), claimedSize: 1000 })).expect(
      400,
    );
    expect(JSON.stringify(bomb.body)).to.include('file');
    const wide = Array.from({ length: 5 }, (_, i) => `<row r="${i + 1}">${textCell(`XFD${i + 1}`, '王磊')}</row>`);
    await upload(xlsxWith(sheetXml(wide))).expect(400);
    expect(await count()).to.equal(before);
  });

  it('the ledger page uploads by form (CSRF inside the multipart body) and shows the dry run', async () => {
    const page = await w.api.get(`/union/welfare?planId=${planId}&period=2026-10`).set(staff()).expect(200);
    expect(page.text).to.include('data-testid="import-form"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const d = people[3];
    const res = await w.api
      .post(`/union/welfare/imports?planId=${planId}&period=2026-10`)
      .set(staff())
      .field('_csrf', csrf)
      .attach('file', await workbook([[d.employee_no, d.name, '', 100]]), '发放表.xlsx')
      .expect(303);
    expect(res.headers.location).to.match(/^\/union\/welfare\/imports\/\d+$/);
    const shown = await w.api.get(res.headers.location).set(staff()).expect(200);
    expect(shown.text).to.include('data-testid="import-commit"');
  });

  it('an employee cannot import', async () => {
    await w.api
      .post(`/union/api/welfare/imports?planId=${planId}&period=2026-10`)
      .set(bearer(w.token(people[0].id)))
      .attach('file', Buffer.from('x'), 'a.xlsx')
      .expect(403);
  });
});
