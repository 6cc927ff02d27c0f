import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** The rejects file goes back to staff: ID numbers masked, formulas neutralised, as in the ledger export. */
describe('ledger import: the rejects file masks ID numbers and neutralises formulas', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));

  it('as CSV and as xlsx', async () => {
    const csv = [
      '序号,姓名,工号,部门,身份证号,会员编号,入会日期',
      '1,=HYPERLINK("http://x"),ZZ9999,生产部,110101199001011234,GH20190001,2019-03-01',
    ].join('\r\n');
    const imp = (await w.api.post('/union/api/imports').set(staff()).attach('file', Buffer.from(csv, 'utf8'), 'ledger.csv').expect(201))
      .body;
    const text = (await w.api.get(`/union/api/imports/${imp.id}/rejects.csv`).set(staff()).expect(200)).text;
    const row = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')[1];
    expect(row).to.contain('110101********1234');
    expect(row).not.to.contain('199001011234');
    expect(row).to.contain(`"'=HYPERLINK(""http://x"")"`);
    const xlsx = await w.api
      .get(`/union/api/imports/${imp.id}/rejects.xlsx`)
      .set(staff())
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const values = (book.worksheets[0].getRow(2).values as unknown[]).map(String);
    expect(values).to.include('110101********1234');
    expect(values.join(' ')).not.to.contain('199001011234');
  });
});
