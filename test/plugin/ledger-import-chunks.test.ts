import { expect } from 'chai';
import { commitImport, ROW_CHUNK, startImport } from '../../plugin/sync/ledger-import';
import { makeWorld, type World } from '../helpers/harness';

/**
 * The dry run classes and stores a ledger ROW_CHUNK rows at a time, and the commit reads the stored rows
 * back a page at a time: a duplicate or a member-number clash whose earlier row is in another chunk
 * must still be found, and the commit must class every row as the dry run did.
 */
describe('a ledger longer than one chunk (台账导入 in chunks)', function () {
  this.timeout(120_000);
  let w: World;
  const actor = { id: 'u_staff', kind: 'user' as const };
  before(async () => {
    w = await makeWorld({ employees: ROW_CHUNK + 300 });
  });
  after(async () => w.close());

  it('finds duplicates and number clashes across chunks, stores what it found, and the commit agrees row by row', async () => {
    const people: Array<{ id: string; employee_no: string; name: string; dept: string; hire_date: unknown; status: string }> = await w
      .db('host_employees as e')
      .join('host_departments as d', 'd.id', 'e.department_id')
      .where('e.employee_no', 'like', 'EM%')
      .where('e.status', 'employed')
      .orderBy('e.id')
      .select('e.id', 'e.employee_no', 'e.name', 'd.name as dept', 'e.hire_date', 'e.status');
    const fresh = people.slice(0, ROW_CHUNK + 100);
    expect(fresh.length).to.equal(ROW_CHUNK + 100);
    const date = (p: { hire_date: unknown }) => String(p.hire_date instanceof Date ? p.hire_date.toISOString() : p.hire_date).slice(0, 10);
    const lines = ['序号,姓名,工号,部门,会员编号,入会日期'];
    fresh.forEach((p, i) => lines.push([i + 1, p.name, p.employee_no, p.dept, `GH${String(i + 1).padStart(6, '0')}`, date(p)].join(',')));
    // In the second chunk: the first person again, and someone else carrying the tenth row's number.
    const dup = fresh[0];
    const clash = people[ROW_CHUNK + 100];
    lines.push([ROW_CHUNK + 101, dup.name, dup.employee_no, dup.dept, 'GH000001', date(dup)].join(','));
    lines.push([ROW_CHUNK + 102, clash.name, clash.employee_no, clash.dept, 'GH000010', date(clash)].join(','));
    const buffer = Buffer.from(`${lines.join('\r\n')}\r\n`);

    const imp = await startImport(w.plugin.ctx, actor, { buffer, filename: 'big.csv' }, { background: false });
    expect(imp.counts).to.include({ matched: ROW_CHUNK + 100, duplicate: 1, conflict: 1 });
    const stored = async () =>
      (await w.db('union_import_rows').where({ import_id: imp.id }).orderBy('line').select('line', 'class', 'reason', 'employee_id')).map(
        (r: { line: number; class: string; reason: string | null; employee_id: string | null }) => ({
          ...r,
          reason: r.reason ? JSON.parse(r.reason) : null,
        }),
      );
    const dry = await stored();
    expect(dry).to.have.length(ROW_CHUNK + 102);
    expect(dry[ROW_CHUNK + 100]).to.deep.include({ class: 'duplicate', reason: { code: 'duplicate_of', row: '1' }, employee_id: dup.id });
    expect(dry[ROW_CHUNK + 101]).to.deep.include({
      class: 'conflict',
      reason: { code: 'number_in_file', value: 'GH000010', row: '10' },
      employee_id: clash.id,
    });

    const result = await commitImport(w.plugin.ctx, actor, imp.id);
    expect(result).to.deep.equal({ imported: ROW_CHUNK + 100, expired: 0, retained: 0, already: 0, rejected: 2, changedSinceDryRun: 0 });
    // The commit classed each row as the dry run did, across its pages too.
    expect((await stored()).map((r) => [r.line, r.class, r.reason, r.employee_id])).to.deep.equal(
      dry.map((r) => [r.line, r.class, r.reason, r.employee_id]),
    );
    const members = await w
      .db('union_memberships')
      .whereIn('employee_id', [dup.id, clash.id, fresh[ROW_CHUNK + 99].id])
      .select('employee_id', 'member_no');
    expect(Object.fromEntries(members.map((m: { employee_id: string; member_no: string }) => [m.employee_id, m.member_no]))).to.deep.equal({
      [dup.id]: 'GH000001',
      [fresh[ROW_CHUNK + 99].id]: `GH${String(ROW_CHUNK + 100).padStart(6, '0')}`,
    });
    expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.equal({ n: ROW_CHUNK + 100 });
  });
});
