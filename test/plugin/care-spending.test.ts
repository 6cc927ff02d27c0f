import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { bearer, makeWorld, type World } from '../helpers/harness';

type Line = { key: string; label: string; entitled: number; paid: number; missing: number; amount: number };

/** Where the money went: entitled, paid, missing and amount per plan, org and group, as JSON, xlsx and a page. */
describe('care: where the money went (福利去向)', () => {
  let w: World;
  let monthly: number;
  let yearly: number;
  let late: string;
  let outsider: string;
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));

  before(async () => {
    w = await makeWorld({ employees: 40 });
    // A known membership list in two orgs: the fixture, not the code under test.
    await w.db('union_membership_history').delete();
    await w.db('union_memberships').delete();
    const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id as number;
    const [branch] = await w
      .db('union_orgs')
      .insert({ name: '机修分会', level: 'branch', parent_id: root, created_at: '2026-01-01 00:00:00.000' });
    late = (await w.db('host_employees').where({ gender: 'F', status: 'employed' }).where('id', 'like', 'E%').orderBy('id').first('id')).id;
    outsider = (await w.db('host_employees').where({ gender: 'M', status: 'employed' }).where('id', 'like', 'E%').orderBy('id').first('id'))
      .id;
    const gone = (await w.db('host_employees').whereNotIn('id', [late, outsider]).where('id', 'like', 'E%').orderBy('id').first('id')).id;
    const member = (employee_id: string, org_id: number, joined_at: string, expired_at: string | null = null) => ({
      employee_id,
      org_id,
      status: expired_at ? 'expired' : 'active',
      joined_at,
      expired_at,
      created_at: '2026-01-01 00:00:00.000',
      updated_at: '2026-01-01 00:00:00.000',
    });
    await w.db('union_memberships').insert([
      member('u_emp', root, '2026-01-01'),
      member('u_chair', root, '2026-01-01'),
      member('u_staff', branch, '2025-05-01'), // a woman
      member(late, branch, '2026-10-20'), // a woman, a member for part of October: entitled
      member(gone, root, '2025-01-01', '2026-10-01'), // gone before October: not entitled
    ]);
    const plan = (body: object) =>
      w.api
        .post('/union/api/welfare/plans')
        .set(staff())
        .send({ audience: 'all_members', ...body })
        .expect(201);
    monthly = (await plan({ name: '交通补贴', amount: 100, cycle: 'monthly', startsOn: '2026-09-01' })).body.id;
    yearly = (await plan({ name: '新春慰问', amount: 50, cycle: 'yearly', startsOn: '2026-01-01' })).body.id;
    const pay = (planId: number, employeeIds: string[]) =>
      w.api.post('/union/api/welfare/payments').set(staff()).send({ planId, period: '2026-10', employeeIds }).expect(201);
    await pay(monthly, ['u_emp', 'u_chair', outsider]); // u_staff and late missed; outsider paid without being entitled
    await pay(yearly, ['u_emp']); // a yearly plan is not due in October: paid, nobody entitled
  });
  after(async () => w.close());

  const pick = (lines: Line[], label: string) => lines.find((l) => l.label === label);

  it('counts entitled, paid, missing and the amount per plan, org and group', async () => {
    const r = (await w.api.get('/union/api/care/spending?period=2026-10').set(staff()).expect(200)).body;
    expect(r.totals).to.deep.equal({ entitled: 4, paid: 4, missing: 2, amount: 350 });
    expect(pick(r.byPlan, '交通补贴')).to.include({ entitled: 4, paid: 3, missing: 2, amount: 300 });
    expect(pick(r.byPlan, '新春慰问')).to.include({ entitled: 0, paid: 1, missing: 0, amount: 50 });
    expect(pick(r.byOrg, '机修分会')).to.include({ entitled: 2, paid: 0, missing: 2, amount: 0 });
    const root = r.byOrg.find((l: Line) => l.label !== '机修分会' && l.entitled > 0);
    expect(root).to.include({ entitled: 2, paid: 3, missing: 0, amount: 250 });
    expect(pick(r.byOrg, '未加入工会组织')).to.include({ entitled: 0, paid: 1, missing: 0, amount: 100 });
    const female = r.byGroup.find((l: Line) => l.key === 'female');
    expect(female).to.include({ entitled: 2, paid: 0, missing: 2, amount: 0 });
    // u_emp was hired on 2024-03-01: not a new hire; nobody has an assistance case: hardship is empty.
    expect(r.byGroup.find((l: Line) => l.key === 'new_hire')).to.include({ entitled: 0, paid: 0 });
    expect(r.byGroup.find((l: Line) => l.key === 'hardship')).to.include({ entitled: 0, paid: 0 });
    expect(r.byGroup.map((l: Line) => l.key)).to.deep.equal([
      'new_hire',
      'shift_worker',
      'female',
      'expatriate',
      'hardship',
      'near_retirement',
    ]);
  });

  it('narrows to one plan', async () => {
    const r = (await w.api.get(`/union/api/care/spending?period=2026-10&planId=${yearly}`).set(staff()).expect(200)).body;
    expect(r.byPlan.map((l: Line) => l.label)).to.deep.equal(['新春慰问']);
    expect(r.totals).to.deep.equal({ entitled: 0, paid: 1, missing: 0, amount: 50 });
    const m = (await w.api.get(`/union/api/care/spending?period=2026-10&planId=${monthly}`).set(staff()).expect(200)).body;
    expect(m.byGroup.find((l: Line) => l.key === 'female')).to.include({ entitled: 2, missing: 2 });
  });

  it('the same figures as xlsx', async () => {
    const res = await w.api
      .get('/union/api/care/spending/export?period=2026-10')
      .set(staff())
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const values = rows.map((r) => r.slice(1));
    expect(values[0]).to.deep.equal(['维度', '名称', '应发', '实发', '漏发', '金额（元）']);
    expect(values).to.deep.include(['按福利计划', '交通补贴', 4, 3, 2, 300]);
    expect(values).to.deep.include(['按工会组织', '机修分会', 2, 0, 2, 0]);
    const total = values[values.length - 1];
    expect([total[0], ...total.slice(2)]).to.deep.equal(['合计', 4, 4, 2, 350]);
  });

  it('a staff page with server-rendered charts; employees get 403', async () => {
    const html = (await w.api.get('/union/care/spending?period=2026-10').set(staff()).expect(200)).text;
    expect(html).to.contain('<svg').and.contain('交通补贴').and.contain('机修分会');
    // Charts are SVG drawn on the server: no inline script (the CSP allows only the module's own file).
    expect(html).not.to.match(/<script(?![^>]*\bsrc=)/);
    await w.api
      .get('/union/care/spending')
      .set(bearer(w.token('u_emp')))
      .expect(403);
    await w.api
      .get('/union/api/care/spending')
      .set(bearer(w.token('u_emp')))
      .expect(403);
    await w.api.get('/union/api/care/spending?period=2026-13').set(staff()).expect(400);
  });

  it('a per-occurrence plan owes the people whose occasion fell in the period, per plan, org and group (the gap report agrees)', async () => {
    const marriage = (
      await w.api
        .post('/union/api/welfare/plans')
        .set(staff())
        .send({
          audience: 'all_members',
          name: '结婚慰问',
          amount: 500,
          cycle: 'per_occurrence',
          occasion: 'marriage',
          startsOn: '2026-01-01',
        })
        .expect(201)
    ).body.id;
    for (const [employeeId, occurredOn] of [
      ['u_emp', '2026-10-05'],
      ['u_staff', '2026-10-12'],
    ])
      await w.api.post('/union/api/welfare/occurrences').set(staff()).send({ employeeId, kind: 'marriage', occurredOn }).expect(201);
    await w.api
      .post('/union/api/welfare/payments')
      .set(staff())
      .send({ planId: marriage, period: '2026-10', employeeIds: ['u_emp'] })
      .expect(201);

    const r = (await w.api.get(`/union/api/care/spending?period=2026-10&planId=${marriage}`).set(staff()).expect(200)).body;
    expect(pick(r.byPlan, '结婚慰问')).to.include({ entitled: 2, paid: 1, missing: 1, amount: 500 });
    expect(pick(r.byOrg, '机修分会')).to.include({ entitled: 1, paid: 0, missing: 1 });
    expect(r.byGroup.find((l: Line) => l.key === 'female')).to.include({ entitled: 1, missing: 1 });
    const gaps = (await w.api.get(`/union/api/welfare/gaps?planId=${marriage}&period=2026-10`).set(staff()).expect(200)).body;
    expect(gaps.missing.map((m: { employeeId: string }) => m.employeeId)).to.deep.equal(['u_staff']);
  });
});
