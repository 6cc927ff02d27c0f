import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import sinon from 'sinon';
import type { Knex } from 'knex';
import { createKnex } from '../../examples/host/db';
import { loadEmployeesCsv } from '../../examples/host/seed';
import { ingestEvent } from '../../plugin/sync/events';
import { commitImport, dryRun, parseLedger, startImport } from '../../plugin/sync/ledger-import';
import { parseLedgerDate } from '../../plugin/sync/ledger-values';
import { bearer, makeWorld, type World } from '../helpers/harness';
import { clickAndWait, expectNoHorizontalOverflow, newContext, PHONE, signInAs, watchProblems, browserSuite } from '../helpers/browser';
import { ledgerFixture } from '../helpers/fixtures';

const fixture = ledgerFixture;

interface Expected {
  rows: Array<{ row: number; class: string; employee_no: string | null; member_no: string; joined_at: string }>;
  counts: Record<string, number>;
}
const expected = JSON.parse(fixture('expected.json').toString('utf8')) as Expected;

interface ApiRow {
  seq: string;
  class: string;
  memberNo: string;
  joinedAt: string;
  message: string;
  employee: { employeeNo: string } | null;
}

/** A zip whose directory says its one file unpacks to `size` bytes: the shape of a zip bomb, without the bytes. */
function zipClaiming(size: number): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(46 + name.length, 12);
  eocd.writeUInt32LE(30 + name.length, 16);
  return Buffer.concat([local, name, central, name, eocd]);
}

/** The dry run in the shape of expected.json. */
function asExpected(body: { rows: ApiRow[]; counts: Record<string, number> }) {
  return {
    rows: body.rows.map((r) => ({
      row: Number(r.seq),
      class: r.class,
      employee_no: r.employee?.employeeNo ?? null,
      member_no: r.memberNo,
      joined_at: r.joinedAt,
    })),
    counts: Object.fromEntries(Object.entries(body.counts).filter(([, n]) => n > 0)),
  };
}

const staffToken = (w: World) => w.token('u_staff', ['employee', 'union_staff']);

function upload(w: World, buffer: Buffer, filename: string) {
  return w.api
    .post('/union/api/imports')
    .set(bearer(staffToken(w)))
    .attach('file', buffer, filename);
}

async function membershipState(db: Knex) {
  return {
    memberships: await db('union_memberships')
      .orderBy('id')
      .select('employee_id', 'member_no', 'status', 'joined_at', 'expired_at', 'version'),
    history: Number((await db('union_membership_history').count({ n: '*' }).first())!.n),
    sequences: await db('union_member_no_sequences').orderBy('prefix').select(),
  };
}

describe('legacy ledger import (手工台账导入)', () => {
  describe('reading the files', () => {
    it('reads dates as spreadsheets and people write them', () => {
      expect(
        ['2019.03.01', '2019/3/1', '2019年3月1日', '2019-3-1', ' 2019.3.1 ', '２０１９．０３．０１', '20190301', '2019-03-01 00:00:00'].map(
          parseLedgerDate,
        ),
      ).to.deep.equal(Array(8).fill('2019-03-01'));
      expect(parseLedgerDate(43525)).to.equal('2019-03-01'); // an Excel serial number
      expect(parseLedgerDate(new Date('2019-02-28T23:59:59.990Z'))).to.equal('2019-03-01'); // float noise in a date cell
      expect(parseLedgerDate('2019.03')).to.equal('2019-03-01'); // 入会年月
      expect(['2019-02-30', '19.3.1', '去年', '2019-13-01'].map(parseLedgerDate)).to.deep.equal([null, null, null, null]);
    });

    it('finds the header under the title, skips filler, blank and footer rows, and reads xlsx and GBK CSV alike', async () => {
      const xlsx = await parseLedger(fixture('ledger.xlsx'), 'ledger.xlsx');
      const csv = await parseLedger(fixture('ledger-gbk.csv'), 'ledger-gbk.csv');
      expect(xlsx.format).to.equal('xlsx');
      expect(csv).to.include({ format: 'csv', encoding: 'gbk', headerLine: 3 });
      expect(xlsx.rows).to.have.length(28);
      const strip = (rows: typeof xlsx.rows) => rows.map(({ raw: _raw, line: _line, ...r }) => r);
      expect(strip(csv.rows)).to.deep.equal(strip(xlsx.rows));
      const byNo = new Map(xlsx.rows.map((r) => [r.seq, r]));
      expect(byNo.get('4')).to.include({ name: '刘红梅', employeeNo: 'EM0004', joinedAt: '2019-03-01' });
      expect(byNo.get('5')).to.include({ employeeNo: 'EM0005' }); // ＥＭ０００５
      expect(byNo.get('3')).to.include({ employeeNo: 'EM0003' }); // ' EM0003 '
      expect(byNo.get('22')).to.include({ memberNo: 'GH20190001' }); // 'GH20190001 '
      // The same ledger saved as UTF-8, with and without a BOM, reads the same.
      const text = iconv.decode(fixture('ledger-gbk.csv'), 'gbk');
      for (const bytes of [Buffer.from(text, 'utf8'), Buffer.from(`\uFEFF${text}`, 'utf8')]) {
        expect(strip((await parseLedger(bytes, 'ledger.csv')).rows)).to.deep.equal(strip(xlsx.rows));
      }
    });

    it('gives a bad value a reason that names its column', async () => {
      const csv =
        '序号,姓名,工号,部门,会员编号,入会日期\r\n1,王磊,EM0001,生产二车间,GH20190001,2019-13-45\r\n2,李涛,EM0002,质检部,GH20190002,\r\n';
      const parsed = await parseLedger(Buffer.from(csv), 'x.csv');
      expect(parsed.rows.map((r) => r.problems)).to.deep.equal([
        [{ code: 'bad_date', column: '入会日期', value: '2019-13-45' }],
        [{ code: 'required', column: '入会日期' }],
      ]);
    });
  });

  describe('on MySQL, against the fixture company', () => {
    let w: World;
    before(async () => {
      w = await makeWorld({ employees: 0 });
      await loadEmployeesCsv(w.db, fixture('employees.csv').toString('utf8'));
    });
    after(async () => w.close());

    for (const file of ['ledger.xlsx', 'ledger-gbk.csv']) {
      it(`a dry run of ${file} classes every row as expected.json says, and writes no membership`, async () => {
        const res = await upload(w, fixture(file), file).expect(201);
        expect(res.body).to.include({ status: 'done', phase: 'dry_run', total: 28, processed: 28 });
        expect(asExpected(res.body)).to.deep.equal({ rows: expected.rows, counts: expected.counts });
        const unmatched = res.body.rows.find((r: ApiRow) => r.seq === '24');
        expect(unmatched.message).to.contain('孙不存在');
        expect(res.body.rows.find((r: ApiRow) => r.seq === '22').message).to.contain('GH20190001');
        expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
        // Any instance reports the same from the database.
        const again = await w.api
          .get(`/union/api/imports/${res.body.id}`)
          .set(bearer(staffToken(w)))
          .expect(200);
        expect(asExpected(again.body)).to.deep.equal({ rows: expected.rows, counts: expected.counts });
      });
    }

    it('reads the HR data in bulk: no lookup per row; brief records where the host has them, whole ones from a host of API 1.1', async () => {
      const dir = w.plugin.ctx.host.employees;
      const parsed = await parseLedger(fixture('ledger.xlsx'), 'ledger.xlsx');
      const spies = [
        sinon.spy(dir, 'get'),
        sinon.spy(dir, 'getMany'),
        sinon.spy(dir, 'list'),
        sinon.spy(dir, 'listBrief'),
        sinon.spy(dir, 'departments'),
      ];
      const listBrief = dir.listBrief;
      try {
        const result = await dryRun(w.plugin.ctx, parsed.rows, parsed.columns);
        expect(result.counts).to.include(expected.counts);
        expect(spies.map((s) => s.callCount)).to.deep.equal([0, 0, 0, 1, 1]);
        // Without listBrief the module reads list() and matches exactly the same.
        delete dir.listBrief;
        const fallback = await dryRun(w.plugin.ctx, parsed.rows, parsed.columns);
        expect(spies.map((s) => s.callCount)).to.deep.equal([0, 0, 1, 1, 2]);
        expect(fallback).to.deep.equal(result);
      } finally {
        dir.listBrief = listBrief;
        spies.forEach((s) => s.restore());
      }
    });

    it('commit creates the memberships with the ledger’s numbers and join dates; people who left are expired on their exit date', async () => {
      const imp = (await upload(w, fixture('ledger.xlsx'), 'ledger.xlsx').expect(201)).body;
      // A failure half-way (here the history table is gone) rolls everything back, and the commit can be tried again.
      await w.db.schema.renameTable('union_membership_history', 'union_membership_history_away');
      try {
        const failed = await w.api
          .post(`/union/api/imports/${imp.id}/commit`)
          .set(bearer(staffToken(w)))
          .expect(500);
        expect(JSON.stringify(failed.body)).to.not.match(/insert|union_membership_history/i);
      } finally {
        await w.db.schema.renameTable('union_membership_history_away', 'union_membership_history');
      }
      expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      expect(await w.db('union_member_no_sequences').select()).to.deep.equal([]);
      expect(await w.db('union_employees').where('employee_id', 'like', 'EM%').select()).to.deep.equal([]);
      const state = (
        await w.api
          .get(`/union/api/imports/${imp.id}?limit=0`)
          .set(bearer(staffToken(w)))
          .expect(200)
      ).body;
      expect(state).to.include({ phase: 'commit', status: 'failed', error: 'internal error (details are in the server log)' });

      const res = await w.api
        .post(`/union/api/imports/${imp.id}/commit`)
        .set(bearer(staffToken(w)))
        .expect(200);
      expect(res.body).to.include({ status: 'done', phase: 'commit' });
      expect(res.body.result).to.deep.equal({ imported: 22, expired: 2, retained: 0, already: 0, rejected: 4, changedSinceDryRun: 0 });

      const rows = await w.db('union_memberships').select();
      expect(rows).to.have.length(24);
      const byEmployee = new Map(rows.map((r) => [r.employee_id, r]));
      for (const e of expected.rows.filter((x) => x.class === 'matched' || x.class === 'exited')) {
        const m = byEmployee.get(e.employee_no!);
        expect(m, e.employee_no!).to.include({
          member_no: e.member_no,
          status: e.class === 'matched' ? 'active' : 'expired',
          consent_method: 'import',
        });
        expect(String(m.joined_at).slice(0, 10)).to.equal(e.joined_at);
      }
      expect(String(byEmployee.get('EM0010').expired_at).slice(0, 10)).to.equal('2023-06-30');
      expect(String(byEmployee.get('EM0022').expired_at).slice(0, 10)).to.equal('2023-06-30');
      expect(byEmployee.has('EM0020'), 'the row whose number clashes is not imported').to.equal(false);
      const sources = await w.db('union_membership_history').distinct('source').pluck('source');
      expect(sources).to.deep.equal(['import']);
      // The ledger page shows them with their department straight away.
      const ledger = await w.api
        .get('/union/api/members?keyword=GH20190007')
        .set(bearer(staffToken(w)))
        .expect(200);
      expect(ledger.body.items[0]).to.include({ employeeId: 'EM0041', status: 'active', departmentId: 'D08' });

      // A second commit of the same import is refused.
      const twice = await w.api
        .post(`/union/api/imports/${imp.id}/commit`)
        .set(bearer(staffToken(w)))
        .expect(409);
      expect(twice.body.error.code).to.equal('conflict');
    });

    it('importing the same ledger again changes nothing: its rows are recognised as imported', async () => {
      const before = await membershipState(w.db);
      const imp = (await upload(w, fixture('ledger-gbk.csv'), 'ledger-gbk.csv').expect(201)).body;
      expect(imp.counts).to.deep.equal({ matched: 0, exited: 0, already: 24, duplicate: 1, conflict: 1, unmatched: 2, invalid: 0 });
      expect(imp.rows.find((r: ApiRow) => r.seq === '1').message).to.contain('GH20190001');
      const res = await w.api
        .post(`/union/api/imports/${imp.id}/commit`)
        .set(bearer(staffToken(w)))
        .expect(200);
      expect(res.body.result).to.include({ imported: 0, expired: 0, already: 24 });
      expect(await membershipState(w.db)).to.deep.equal(before);
    });

    it('numbers issued after the import never collide with imported ones', async () => {
      expect(await w.db('union_member_no_sequences').where({ prefix: 'GH2019' }).first()).to.deep.equal({
        prefix: 'GH2019',
        last_value: 26,
      });
      // Someone hired in 2019 joins by the on-hire rule and gets the next 2019 number.
      await ingestEvent(
        w.plugin.ctx,
        {
          id: 'evt_hire_2019',
          type: 'employee.hired',
          timestamp: '2019-06-01T01:00:00Z',
          data: { employeeId: 'NEW2019', departmentId: 'D01', hireDate: '2019-06-01' },
        },
        'inproc',
      );
      expect((await w.db('union_memberships').where({ employee_id: 'NEW2019' }).first()).member_no).to.equal('GH20190027');
    });

    it('gives back the rows it did not import, as xlsx and as CSV, with the reason beside each', async () => {
      const imp = (
        await w.api
          .get('/union/api/imports')
          .set(bearer(staffToken(w)))
          .expect(200)
      ).body.items.find((i: { result: unknown; counts: { matched: number } }) => i.result && i.counts.matched === 22);
      const xlsx = await w.api
        .get(`/union/api/imports/${imp.id}/rejects.xlsx`)
        .set(bearer(staffToken(w)))
        .buffer(true)
        .parse((res, cb) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => cb(null, Buffer.concat(parts)));
        })
        .expect(200);
      expect(xlsx.headers['content-type']).to.contain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body);
      const sheet = wb.worksheets[0];
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(0, 9)).to.deep.equal(['序号', '姓名', '工号', '部门', '性别', '会员编号', '入会时间', '联系电话', '备注']);
      expect(header.slice(9)).to.deep.equal(['处理结果', '未导入原因']);
      const body: unknown[][] = [];
      sheet.eachRow((row, n) => void (n > 1 && body.push((row.values as unknown[]).slice(1))));
      expect(body.map((r) => [r[0], r[9]])).to.deep.equal([
        ['21', '重复'],
        ['22', '编号冲突'],
        ['23', '未匹配'],
        ['24', '未匹配'],
      ]);
      expect(body.every((r) => typeof r[10] === 'string' && (r[10] as string).length > 4)).to.equal(true);
      expect(body[1][10]).to.contain('GH20190001');

      const csv = await w.api
        .get(`/union/api/imports/${imp.id}/rejects.csv`)
        .set(bearer(staffToken(w)))
        .set('Accept-Language', 'en')
        .expect(200);
      const lines = csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).to.match(/^序号,姓名,.*,Result,Why not imported$/);
      expect(lines).to.have.length(5);
      expect(lines[4]).to.match(/^24,孙不存在,.*Not matched,Nobody in the HR data matches/);
    });

    it('refuses a malformed upload with a 400 that names the field file', async () => {
      const png = Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d2d0a50000000049454e44ae426082',
        'hex',
      );
      const cases: Array<[string, Buffer, string]> = [
        ['a PNG renamed .xlsx', png, 'ledger.xlsx'],
        ['a PNG renamed .csv', png, 'ledger.csv'],
        ['an empty file', Buffer.alloc(0), 'ledger.xlsx'],
        [
          'a CSV without the header row',
          Buffer.from('1,王磊,EM0001,生产二车间,GH20190001,2018-05-20\r\n2,李涛,EM0002,质检部,GH20190002,2019.03.01\r\n'),
          'ledger.csv',
        ],
        ['a zip that is not a workbook', Buffer.from('504b0304140000000000', 'hex'), 'ledger.xlsx'],
        ['a zip that unpacks to 500 MB', zipClaiming(500 * 1024 * 1024), 'ledger.xlsx'],
        ['an old .xls workbook', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]), 'ledger.xls'],
      ];
      for (const [what, bytes, name] of cases) {
        const res = await upload(w, bytes, name);
        expect(res.status, what).to.equal(400);
        expect(
          res.body.error.details.map((d: { path: string }) => d.path),
          what,
        ).to.deep.equal(['file']);
      }
      const none = await w.api
        .post('/union/api/imports')
        .set(bearer(staffToken(w)))
        .field('note', 'no file')
        .expect(400);
      expect(none.body.error.details[0].path).to.equal('file');
      const big = await upload(w, Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), 'huge.csv').expect(413);
      expect(big.body.error.details[0].path).to.equal('file');
      await w.api
        .post('/union/api/imports')
        .set(bearer(w.token('u_emp')))
        .attach('file', fixture('ledger.xlsx'), 'ledger.xlsx')
        .expect(403);
    });

    it('the pages: an HTML form upload with its _csrf field, the dry run by class, the commit button; refused without the token', async () => {
      const cookie = `hr_session=${staffToken(w)}`;
      const list = await w.api.get('/union/imports').set('Cookie', cookie).expect(200);
      expect(list.text).to.contain('enctype="multipart/form-data"').and.contain('上传并试运行');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)![1];
      await w.api.post('/union/imports').set('Cookie', cookie).attach('file', fixture('ledger.xlsx'), '会员台账.xlsx').expect(403);
      const posted = await w.api
        .post('/union/imports')
        .set('Cookie', cookie)
        .field('_csrf', csrf)
        .attach('file', fixture('ledger.xlsx'), '会员台账.xlsx')
        .expect(303);
      const detail = await w.api.get(posted.headers.location).set('Cookie', cookie).expect(200);
      expect(detail.text).to.contain('会员台账.xlsx').and.contain('已导入过 <b>24</b>').and.contain('rejects.xlsx');
      const conflicts = await w.api.get(`${posted.headers.location}?class=conflict`).set('Cookie', cookie).expect(200);
      expect(conflicts.text).to.contain('张志强').and.not.contain('孙不存在');
      const en = await w.api.get(posted.headers.location).set('Cookie', cookie).set('Accept-Language', 'en').expect(200);
      expect(en.text).to.contain('Imported before');

      const bad = await w.api
        .post('/union/imports')
        .set('Cookie', cookie)
        .field('_csrf', csrf)
        .attach('file', Buffer.from('not a ledger'), 'x.csv')
        .expect(400);
      expect(bad.text).to.contain('找不到表头行');
    });
  });

  describe('two uploads of one ledger committed at the same moment', () => {
    let w: World;
    before(async () => {
      w = await makeWorld({ employees: 0 });
      await loadEmployeesCsv(w.db, fixture('employees.csv').toString('utf8'));
    });
    after(async () => w.close());

    it('import each person once: the slower commit imports nothing, or is refused and then finds them imported', async () => {
      const a = (await upload(w, fixture('ledger.xlsx'), 'a.xlsx').expect(201)).body;
      const b = (await upload(w, fixture('ledger-gbk.csv'), 'b.csv').expect(201)).body;
      const commit = (id: number) => w.api.post(`/union/api/imports/${id}/commit`).set(bearer(staffToken(w)));
      const results = await Promise.all([commit(a.id), commit(b.id)]);
      const imported = results
        .filter((r) => r.status === 200)
        .map((r) => r.body.result.imported)
        .sort();
      expect(imported[imported.length - 1]).to.equal(22);
      for (const [i, r] of results.entries()) {
        if (r.status === 200) continue;
        expect(r.status).to.equal(409);
        expect(r.body.error.message).to.match(/commit again/);
        const again = await commit([a.id, b.id][i]).expect(200);
        expect(again.body.result).to.include({ imported: 0, already: 24 });
      }
      expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.equal({ n: 24 });
    });
  });

  describe('a big ledger in the background', () => {
    let w: World;
    before(async () => {
      w = await makeWorld({ employees: 3000 });
    });
    after(async () => w.close());

    async function bigLedger(): Promise<{ buffer: Buffer; rows: number }> {
      const people: Array<{ employee_no: string; name: string; dept: string; hire_date: unknown }> = await w
        .db('host_employees as e')
        .join('host_departments as d', 'd.id', 'e.department_id')
        .where('e.employee_no', 'like', 'EM%')
        .orderBy('e.id')
        .select('e.employee_no', 'e.name', 'd.name as dept', 'e.hire_date');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('会员台账');
      ws.addRow(['XX集团工会会员台账']);
      ws.mergeCells('A1:F1');
      ws.addRow(['序号', '姓名', '员工编号', '部门', '会员编号', '入会日期']);
      people.forEach((p, i) => {
        // Joined on the day they were hired, written the ways a union office writes dates.
        const [year, month, day] = String(p.hire_date).slice(0, 10).split('-').map(Number);
        const joined =
          i % 3 === 0 ? new Date(Date.UTC(year, month - 1, day)) : i % 3 === 1 ? `${year}.${month}.${day}` : `${year}年${month}月${day}日`;
        ws.addRow([i + 1, p.name, p.employee_no, p.dept, `GH${year}${String(i + 1).padStart(4, '0')}`, joined]);
      });
      ws.addRow([]);
      ws.addRow(['制表人：李娟', '', '', '审核人：王建国']);
      return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows: people.length };
    }

    async function untilDone(id: number): Promise<Array<{ status: string; processed: number }>> {
      const seen: Array<{ status: string; processed: number }> = [];
      for (let i = 0; i < 600; i++) {
        const res = await w.api
          .get(`/union/api/imports/${id}?limit=0`)
          .set(bearer(staffToken(w)))
          .expect(200);
        expect(res.body).to.have.keys([
          'id',
          'filename',
          'format',
          'phase',
          'status',
          'total',
          'processed',
          'counts',
          'result',
          'error',
          'createdBy',
          'createdAt',
          'updatedAt',
          'committedBy',
          'committedAt',
          'columns',
          'headerLine',
          'encoding',
          'sheet',
          'rows',
          'nextAfter',
        ]);
        seen.push({ status: res.body.status, processed: res.body.processed });
        if (res.body.status === 'done' || res.body.status === 'failed') return seen;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the import did not finish');
    }

    it('runs the dry run and the commit in the background, reporting progress to completion', async function () {
      this.timeout(180_000);
      const { buffer, rows } = await bigLedger();
      expect(rows).to.equal(3000);
      let t = performance.now();
      const started = await w.api
        .post('/union/api/imports')
        .set(bearer(staffToken(w)))
        .attach('file', buffer, 'big.xlsx')
        .expect(202);
      expect(started.body).to.include({ total: 3000 });
      expect(['queued', 'running']).to.include(started.body.status);
      const dry = await untilDone(started.body.id);
      const dryMs = performance.now() - t;
      expect(dry[dry.length - 1]).to.deep.equal({ status: 'done', processed: 3000 });
      expect(dry.map((s) => s.processed)).to.deep.equal(
        [...dry.map((s) => s.processed)].sort((a, b) => a - b),
        'progress only grows',
      );
      const summary = (
        await w.api
          .get(`/union/api/imports/${started.body.id}?limit=0`)
          .set(bearer(staffToken(w)))
          .expect(200)
      ).body;
      const left = Number(
        (await w.db('host_employees').where('employee_no', 'like', 'EM%').whereNot({ status: 'employed' }).count({ n: '*' }).first())!.n,
      );
      expect(summary.counts).to.deep.equal({
        matched: 3000 - left,
        exited: left,
        already: 0,
        duplicate: 0,
        conflict: 0,
        unmatched: 0,
        invalid: 0,
      });

      t = performance.now();
      const commit = await w.api
        .post(`/union/api/imports/${started.body.id}/commit`)
        .set(bearer(staffToken(w)))
        .expect(202);
      expect(commit.body.phase).to.equal('commit');
      const done = await untilDone(started.body.id);
      const commitMs = performance.now() - t;
      expect(done[done.length - 1]).to.deep.equal({ status: 'done', processed: 3000 });
      const counted: Array<{ status: string; n: number | string }> = await w
        .db('union_memberships')
        .groupBy('status')
        .select('status')
        .count({ n: '*' });
      const byStatus = Object.fromEntries(counted.map((r) => [r.status, Number(r.n)]));
      const retired = Number(
        (await w.db('host_employees').where('employee_no', 'like', 'EM%').where({ status: 'retired' }).count({ n: '*' }).first())!.n,
      );
      expect(byStatus).to.deep.equal({ active: 3000 - left, expired: left - retired, ...(retired ? { retained: retired } : {}) });
      console.log(
        `      3,000-row ledger: dry run ${Math.round(dryMs)} ms, commit ${Math.round(commitMs)} ms (upload to done, through HTTP)`,
      );
    });
  });

  describe('on SQLite', () => {
    let dir: string;
    let db: Knex;
    let w: World;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'union-import-'));
      db = createKnex(`sqlite:${path.join(dir, 'host.sqlite')}`);
      w = await makeWorld({ db, employees: 0 });
      await loadEmployeesCsv(db, fixture('employees.csv').toString('utf8'));
    });
    after(async () => {
      await w.close();
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('dry-runs, commits and recognises a second import the same way', async () => {
      const ctx = w.plugin.ctx;
      const actor = { id: 'u_staff', kind: 'user' as const };
      const first = await startImport(ctx, actor, { buffer: fixture('ledger-gbk.csv'), filename: 'ledger-gbk.csv' });
      expect(Object.fromEntries(Object.entries(first.counts).filter(([, n]) => n > 0))).to.deep.equal(expected.counts);
      expect(await commitImport(ctx, actor, first.id)).to.include({ imported: 22, expired: 2 });
      expect(await db('union_memberships').where({ employee_id: 'EM0022' }).first()).to.include({
        member_no: 'GH20190020',
        status: 'expired',
      });
      const second = await startImport(ctx, actor, { buffer: fixture('ledger.xlsx'), filename: 'ledger.xlsx' });
      expect(second.counts.already).to.equal(24);
      expect(await commitImport(ctx, actor, second.id)).to.include({ imported: 0 });
    });
  });

  describe('in a browser on a 375 px phone', function () {
    this.timeout(120_000);
    const suite = browserSuite({ employees: 0 }, async (live) => {
      await loadEmployeesCsv(live.world.db, fixture('employees.csv').toString('utf8'));
    });

    it('the chair uploads the ledger through the form, reads the dry run, imports it, and watches a big one progress', async () => {
      const { baseUrl } = suite.live;
      const shots = suite.shots('ledger-import-mobile');
      const phone = await newContext(suite.browser, PHONE);
      const page = await phone.newPage();
      const problems = watchProblems(page);
      await signInAs(page, baseUrl, 'u_chair', '/union/imports');
      await page.goto(`${baseUrl}/union/imports`);
      await page.locator('#ledger-file').setInputFiles({
        name: '会员台账.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: fixture('ledger.xlsx'),
      });
      await clickAndWait(page, page.locator('[data-testid="upload"]'));
      await page.locator('[data-testid="import-counts"]').waitFor();
      expect(await page.locator('[data-testid="import-counts"] [data-class="matched"] b').innerText()).to.equal('22');
      expect(await page.locator('[data-testid="import-rows"] tbody tr').count()).to.equal(28);
      await shots.take(page, 'dry-run');
      await expectNoHorizontalOverflow(page);

      await clickAndWait(page, page.locator('[data-testid="commit"]'));
      await page.locator('[data-testid="import-result"]').waitFor();
      expect(await page.locator('[data-testid="import-result"]').innerText()).to.contain('新增 22 名会员');
      await shots.take(page, 'committed');
      await expectNoHorizontalOverflow(page);

      // 2,100 people nobody knows: big enough for the background, so the page shows its progress bar.
      const lines = [
        '序号,姓名,工号,部门,会员编号,入会日期',
        ...Array.from({ length: 2100 }, (_, i) => `${i + 1},无名氏${i},X${i},销售部,GH2018${String(i + 1).padStart(4, '0')},2018.1.1`),
      ];
      await page.goto(`${baseUrl}/union/imports`);
      await page
        .locator('#ledger-file')
        .setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: iconv.encode(lines.join('\r\n'), 'gbk') });
      await clickAndWait(page, page.locator('[data-testid="upload"]'));
      // The poller reloads the page when the run is done; either way the dry run's counts end up on it.
      await page.locator('[data-testid="import-counts"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-testid="import-counts"] [data-class="unmatched"] b').innerText()).to.equal('2100');
      await shots.take(page, 'big-dry-run');
      await expectNoHorizontalOverflow(page);
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await phone.close();
    });
  });
});
