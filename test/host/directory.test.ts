import { expect } from 'chai';
import type { Knex } from 'knex';
import { createEmployeeDirectory } from '../../examples/host/directory';
import { resetHostTables, testDb } from './helpers';

describe('reference host: employee directory', () => {
  let db: Knex;
  const dir = () => createEmployeeDirectory(db);
  before(async () => {
    db = testDb();
    await resetHostTables(db, 3000);
  });
  after(async () => {
    await resetHostTables(db, -1);
    await db.destroy();
  });

  it('pages through everyone exactly once, by id, and says when it is done', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await dir().list({ cursor, limit: 257 });
      expect(page.items.length).to.be.at.most(257);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).to.have.length(3004);
    expect(new Set(seen).size).to.equal(3004);
    expect(pages).to.equal(Math.ceil(3004 / 257));
  });

  it('returns the last page with a null cursor even when it is exactly full', async () => {
    const all = await dir().list({ limit: 5000 });
    expect(all.items).to.have.length(3004);
    expect(all.nextCursor).to.equal(null);
    const tail = await dir().list({ cursor: all.items[3001].id, limit: 2 });
    expect(tail.items.map((e) => e.id)).to.deep.equal([all.items[3002].id, all.items[3003].id]);
    expect(tail.nextCursor).to.equal(null);
  });

  it('lists only people changed since a moment when asked', async () => {
    const since = '2026-01-01T00:00:00.000Z';
    const expected = Number((await db('host_employees').where('updated_at', '>=', '2026-01-01 00:00:00.000').count({ n: '*' }))[0].n);
    expect(expected).to.be.above(0).and.below(3004);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await dir().list({ cursor, limit: 100, updatedSince: since });
      for (const e of page.items) expect(e.updatedAt >= since, e.id).to.equal(true);
      ids.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).to.have.length(expected);
  });

  it('reads one person in the contract shape', async () => {
    const e = await dir().get('u_emp');
    expect(e).to.deep.equal({
      id: 'u_emp',
      employeeNo: 'DEMO-EMP',
      name: '王小明',
      departmentId: 'D01',
      gender: 'M',
      birthDate: '1999-04-18',
      hireDate: '2024-03-01',
      exitDate: null,
      exitReason: null,
      status: 'employed',
      position: '操作工',
      shiftWorker: true,
      expatriate: false,
      phone: null,
      email: 'u_emp@example.com',
      idNumber: null,
      updatedAt: '2024-03-01T01:00:00.000Z',
    });
    expect(await dir().get('nobody')).to.equal(null);
  });

  it('reads many people at once across IN-list chunks, each once, ignoring unknown ids', async () => {
    const ids = (await db('host_employees').orderBy('id').limit(2500).pluck('id')) as string[];
    const got = await dir().getMany([...ids, ...ids.slice(0, 10), 'nobody']);
    expect(got.map((e) => e.id).sort()).to.deep.equal([...ids].sort());
  });

  it('lists the departments', async () => {
    const depts = await dir().departments();
    expect(depts).to.have.length(12);
    expect(depts[0]).to.deep.equal({ id: 'D01', name: '生产一车间', parentId: null });
  });
});
