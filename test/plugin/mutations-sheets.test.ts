import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { csvCell } from '../../plugin/lib/sheets';
import { maskIdNumber } from '../../plugin/lib/mask';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

describe('csvCell: a cell never runs as a formula', () => {
  const hostile = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', ' =HYPERLINK("http://x")', '\u3000=1', "=cmd|' /C calc'!A0"];
  for (const v of hostile) {
    it(`quotes ${JSON.stringify(v)}`, () => {
      const cell = csvCell(v);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted).to.equal(`'${v}`);
    });
  }
  it('leaves plain text, dates and inner signs alone, and quotes separators', () => {
    expect(csvCell('王小明')).to.equal('王小明');
    expect(csvCell('2026-11-23')).to.equal('2026-11-23');
    expect(csvCell('a=b')).to.equal('a=b');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('=a,b')).to.equal(`"'=a,b"`);
  });
});

describe('maskIdNumber: no ID number leaves readable', () => {
  const cases: Array<[string | null, string]> = [
    [null, ''],
    ['110101199909091234', '110101********1234'],
    ['11010119990909X', '110101*****909X'],
    ['E12345678', '*********'],
    ['12345678901', '***********'],
    ['12345678901234', '**************'],
    ['  110101199909091234 ', '110101********1234'],
  ];
  for (const [id, masked] of cases) it(`${JSON.stringify(id)} -> ${masked}`, () => expect(maskIdNumber(id)).to.equal(masked));
  it('never shows more than 10 characters of any value, and nothing of a short one', () => {
    for (let n = 1; n <= 20; n++) {
      const shown = maskIdNumber('7'.repeat(n)).replace(/\*/g, '');
      expect(shown.length).to.be.at.most(n < 15 ? 0 : 10, `length ${n}`);
    }
  });
});

describe('exports neutralise formulas and mask ID numbers end to end', () => {
  let w: World;
  let id: string;
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  before(async () => {
    w = await makeWorld();
    id = (
      await w.api
        .post('/hr/api/employees')
        .set(bearer(w.token('admin', ['admin'])))
        .send({ name: '测试', departmentId: 'D03', gender: 'M', birthDate: '1990-01-01', hireDate: TODAY })
        .expect(201)
    ).body.id;
    await w
      .db('host_employees')
      .where({ id })
      .update({ name: '=HYPERLINK("http://evil")', phone: '+8613912345678', id_number: 'K1234567' });
  });
  after(async () => w.close());

  it('csv: the hostile name and the phone are quoted as text; the short ID number is fully masked', async () => {
    const csv = await w.api.get('/union/api/members/export?format=csv').set(staff()).expect(200);
    const line = csv.text.split('\r\n').find((l) => l.includes('HYPERLINK'))!;
    expect(line).to.contain(`"'=HYPERLINK(""http://evil"")"`);
    expect(line).to.contain(`'+8613912345678`);
    expect(line.endsWith(',********')).to.equal(true, line);
    expect(csv.text).to.not.contain('K1234567');
  });

  it('xlsx: the hostile name is a text cell, never a formula', async () => {
    const res = await w.api
      .get('/union/api/members/export?format=xlsx')
      .set(staff())
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    let found = false;
    wb.worksheets[0].eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).to.not.equal(ExcelJS.ValueType.Formula);
        if (String(cell.value).includes('HYPERLINK')) found = true;
        expect(String(cell.value)).to.not.contain('K1234567');
      }),
    );
    expect(found).to.equal(true);
  });
});
