import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { generateEmployees, loadEmployeesCsv, seedCompany } from '../../examples/host/seed';
import { resetHostTables, testDb } from './helpers';

/** The ledger fixture, from the repo's copy when there is one, else from the shared fixtures next to it. */
const CSV = fs.readFileSync(
  [
    path.join(__dirname, '../fixtures/legacy-ledger/employees.csv'),
    path.join(__dirname, '../../../shared/fixtures/legacy-ledger/employees.csv'),
  ].find((p) => fs.existsSync(p)) ?? 'legacy-ledger/employees.csv not found under test/fixtures or ../shared/fixtures',
  'utf8',
);

describe('reference host: the synthetic company', () => {
  let db: Knex;
  before(() => (db = testDb()));
  beforeEach(() => resetHostTables(db, -1));
  after(async () => {
    await resetHostTables(db, -1);
    await db.destroy();
  });

  const first20 = () => db('host_employees').where('id', 'like', 'E%').orderBy('id').limit(20);

  it('gives the same first 20 employees for the same seed, and others for another seed', async () => {
    await seedCompany(db, { employees: 3000, seed: 20261123 });
    const once = await first20();
    await resetHostTables(db, -1);
    await seedCompany(db, { employees: 3000, seed: 20261123 });
    expect(await first20()).to.deep.equal(once);
    expect(once.map((e) => e.id)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `E${String(i + 1).padStart(6, '0')}`));

    const other = generateEmployees(20, 42, '2026-11-01');
    expect(other.map((e) => e.name)).to.not.deep.equal(once.map((e) => e.name));
  });

  it('seeds 3000 people in 12 named departments, plus the four demo users', async () => {
    const summary = await seedCompany(db, { employees: 3000 });
    expect(summary).to.deep.equal({ seeded: true, employees: 3004, departments: 12 });
    const depts = (await db('host_departments').pluck('name')) as string[];
    expect(depts).to.have.length(12);
    expect(depts).to.include.members([
      '生产一车间',
      '生产二车间',
      '质检部',
      '仓储物流部',
      '销售部',
      '研发中心',
      '人力资源部',
      '财务部',
      '行政部',
      '设备维修部',
      '海外项目部',
      '信息技术部',
    ]);
    expect(Number((await db('host_employees').where('id', 'like', 'E%').count({ n: '*' }))[0].n)).to.equal(3000);
    const demo = await db('host_employees').whereIn('id', ['admin', 'u_staff', 'u_chair', 'u_emp']).pluck('status');
    expect(demo).to.deep.equal(['employed', 'employed', 'employed', 'employed']);
    const roles = await db('host_user_roles').orderBy('user_id').select('user_id', 'role');
    expect(roles).to.deep.equal([
      { user_id: 'admin', role: 'admin' },
      { user_id: 'u_chair', role: 'union_chair' },
      { user_id: 'u_staff', role: 'union_staff' },
    ]);
  });

  it('looks like a real workforce: some exits and retirements, shift work on the floor, expatriates abroad', async () => {
    await seedCompany(db, { employees: 3000 });
    const rows = await db('host_employees as e')
      .join('host_departments as d', 'd.id', 'e.department_id')
      .where('e.id', 'like', 'E%')
      .select('e.*', 'd.name as dept');
    const share = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
    expect(share((r) => r.status === 'exited')).to.be.within(0.03, 0.08);
    expect(share((r) => r.status === 'retired')).to.be.within(0.005, 0.08);
    for (const r of rows) {
      expect(r.phone).to.match(/^138\d{8}$/);
      expect(r.id_number).to.match(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(r.birth_date >= '1962-01-01' && r.birth_date <= '2004-12-31', r.id).to.equal(true);
      expect(r.hire_date >= '2000-01-01' && r.hire_date <= '2026-11-01', r.id).to.equal(true);
      if (r.status === 'employed') expect(r.exit_date, r.id).to.equal(null);
      else expect(r.exit_date > r.hire_date, r.id).to.equal(true);
    }
    const shift = rows.filter((r) => r.shift_worker);
    expect(shift.filter((r) => r.dept.startsWith('生产')).length / shift.length).to.be.above(0.6);
    const abroad = rows.filter((r) => r.expatriate);
    expect(abroad.filter((r) => r.dept === '海外项目部').length / abroad.length).to.be.above(0.9);
  });

  it('leaves a company that is already there alone', async () => {
    await seedCompany(db, { employees: 100 });
    expect(await seedCompany(db, { employees: 3000 })).to.deep.include({ seeded: false });
    expect(Number((await db('host_employees').count({ n: '*' }))[0].n)).to.equal(104);
  });

  it('reads quoted fields, CRLF line ends and a BOM', async () => {
    const csv =
      '\uFEFFemployee_no,name,department,gender,birth_date,hire_date,status,exit_date,phone\r\n' +
      'X01,"欧阳, 娜",质检部,F,1990-01-01,2015-03-01,retired,2025-01-01,\r\n';
    await loadEmployeesCsv(db, csv);
    expect(await db('host_employees').where({ id: 'X01' }).first()).to.include({
      name: '欧阳, 娜',
      status: 'retired',
      exit_reason: 'retired',
      exit_date: '2025-01-01',
      phone: null,
    });
  });

  it('loads the legacy-ledger employees.csv, matching departments by name and creating missing ones', async () => {
    await seedCompany(db, { employees: 10 });
    await db('host_departments').where({ name: '行政部' }).update({ name: '综合办公室' });
    const result = await loadEmployeesCsv(db, CSV);
    expect(result).to.deep.equal({ employees: 48, departmentsCreated: 1 });
    const em1 = await db('host_employees').where({ employee_no: 'EM0001' }).first();
    expect(em1).to.include({
      id: 'EM0001',
      name: '王磊',
      department_id: 'D02',
      gender: 'M',
      birth_date: '1998-08-22',
      status: 'employed',
      phone: '13841336631',
    });
    const exited = await db('host_employees')
      .where('employee_no', 'like', 'EM00%')
      .andWhere({ status: 'exited' })
      .whereNotNull('exit_date')
      .count({ n: '*' });
    expect(Number(exited[0].n)).to.equal(2);

    // Loading the file again refreshes the same people.
    expect(await loadEmployeesCsv(db, CSV)).to.deep.equal({ employees: 48, departmentsCreated: 0 });
    expect(Number((await db('host_employees').where('id', 'like', 'EM00%').count({ n: '*' }))[0].n)).to.equal(48);
  });
});
