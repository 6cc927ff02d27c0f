import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Service groups derived from HR data, checked against the host's own table as the oracle. */
describe('care: six service groups derived from HR data', () => {
  let w: World;
  const staff = () => w.token('u_staff', ['employee', 'union_staff']);
  before(async () => {
    w = await makeWorld({ employees: 60 });
  });
  after(async () => w.close());

  const counts = async () => {
    const res = await w.api.get('/union/api/service-groups').set(bearer(staff())).expect(200);
    return Object.fromEntries((res.body as Array<{ code: string; count: number }>).map((g) => [g.code, g.count]));
  };
  const hostCount = async (where: Record<string, unknown>) =>
    Number(
      (await w
        .db('host_employees')
        .where({ status: 'employed', ...where })
        .count({ n: '*' })
        .first())!.n,
    );
  const allMembers = async (code: string, limit = 7) => {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const res: { body: { items: Array<{ employeeId: string }>; nextAfter: string | null } } = await w.api
        .get(`/union/api/service-groups/${code}/members`)
        .query(after ? { limit, after } : { limit })
        .set(bearer(staff()))
        .expect(200);
      ids.push(...res.body.items.map((i) => i.employeeId));
      after = res.body.nextAfter;
    } while (after);
    return ids;
  };

  it('counts the six groups as the host data says, for employed people only', async () => {
    const c = await counts();
    expect(Object.keys(c)).to.deep.equal(['new_hire', 'shift_worker', 'female', 'expatriate', 'hardship', 'near_retirement']);
    expect(c.female).to.equal(await hostCount({ gender: 'F' }));
    expect(c.shift_worker).to.equal(await hostCount({ shift_worker: true }));
    expect(c.expatriate).to.equal(await hostCount({ expatriate: true }));
    expect(c.female).to.be.greaterThan(0);
    expect(c.hardship).to.equal(0); // no assistance cases exist yet (services/care/hardship-seam.ts)
  });

  it('lists a group page by page with names from the host, every member once', async () => {
    const ids = await allMembers('female');
    expect(ids.length).to.equal((await counts()).female);
    expect(new Set(ids).size).to.equal(ids.length);
    const res = await w.api.get('/union/api/service-groups/female/members?limit=2').set(bearer(staff())).expect(200);
    const host = await w.db('host_employees').where({ id: res.body.items[0].employeeId }).first();
    expect(res.body.items[0]).to.include({ employeeId: host.id, name: host.name, employeeNo: host.employee_no });
  });

  it('a transfer into a shift-work role puts the person in shift_worker at once', async () => {
    const before = (await counts()).shift_worker;
    await w.db('host_employees').where({ id: 'u_staff' }).update({ shift_worker: true });
    await w.host.hr.transfer('u_staff', { departmentId: 'D01' });
    expect((await counts()).shift_worker).to.equal(before + 1);
    expect(await allMembers('shift_worker', 500)).to.include('u_staff');
  });

  it('an exit takes the person out of every group', async () => {
    const [someone] = await w.db('host_employees').where({ status: 'employed', gender: 'F' }).whereNot({ id: 'u_staff' }).select('id');
    const before = (await counts()).female;
    await w.host.hr.exit(someone.id, { exitDate: '2026-11-23', reason: 'resigned' });
    expect((await counts()).female).to.equal(before - 1);
    expect(await allMembers('female', 500)).to.not.include(someone.id);
  });

  it('new_hire: hired within the configured months', async () => {
    const before = (await counts()).new_hire;
    const e = await w.host.hr.hire({ name: '新同事', departmentId: 'D02', gender: 'M', birthDate: '2000-02-02', hireDate: '2026-11-20' });
    expect((await counts()).new_hire).to.equal(before + 1);
    expect(await allMembers('new_hire', 500)).to.include(e.id);
  });

  it('near_retirement follows the reform table: born 1967-05 retires 2028-01, enters the 12-month window in 2027-01', async () => {
    const e = await w.host.hr.hire({ name: '老师傅', departmentId: 'D02', gender: 'M', birthDate: '1967-05-10', hireDate: '2026-11-01' });
    // At the old age of 60 he would retire in 2027-05 and be in the group today; under the reform it is 2028-01.
    expect(await allMembers('near_retirement', 500)).to.not.include(e.id);
    const res = await w.api.get('/union/api/service-groups/near_retirement/members?limit=500').set(bearer(staff())).expect(200);
    expect(res.body.items.every((i: { retireMonth: string }) => i.retireMonth <= '2027-11')).to.equal(true);
    w.clock.setSystemTime(new Date('2026-12-31T15:59:00Z')); // 23:59 on 2026-12-31 in Shanghai
    expect(await allMembers('near_retirement', 500)).to.not.include(e.id);
    w.clock.setSystemTime(new Date('2026-12-31T16:01:00Z')); // 00:01 on 2027-01-01
    expect(await allMembers('near_retirement', 500)).to.include(e.id);
    const row = await w.db('union_care_profiles').where({ employee_id: e.id }).first();
    expect(String(row.retire_on).slice(0, 10)).to.equal('2028-01-01');
  });

  it('keeps no names, birth dates or contacts in its own table', async () => {
    const columns = Object.keys(await w.db('union_care_profiles').columnInfo());
    expect(columns).to.not.include.members(['name', 'birth_date', 'phone', 'id_number']);
    expect(columns).to.include.members(['employee_id', 'female', 'retire_on']);
  });

  it('the nightly refresh picks up changes that arrived by no event', async () => {
    const [someone] = await w.db('host_employees').where({ status: 'employed', expatriate: false }).select('id');
    await w.db('host_employees').where({ id: someone.id }).update({ expatriate: true });
    expect(await allMembers('expatriate', 500)).to.not.include(someone.id);
    await w.plugin.runJob('care-refresh', { trigger: 'button', actor: { id: 'u_staff', kind: 'user' } });
    expect(await allMembers('expatriate', 500)).to.include(someone.id);
    expect((await counts()).expatriate).to.equal(await hostCount({ expatriate: true }));
    expect(await w.db('union_audit').where({ action: 'care.profiles.refreshed' }).first()).to.not.equal(undefined);
  });

  it('exports a group as xlsx with names from the host', async () => {
    const res = await w.api
      .get('/union/api/service-groups/female/export')
      .set(bearer(staff()))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const ws = wb.worksheets[0];
    expect(ws.rowCount - 1).to.equal((await counts()).female);
    const no = String(ws.getRow(2).getCell(1).value);
    const host = await w.db('host_employees').where({ employee_no: no }).first();
    expect(ws.getRow(2).getCell(2).value).to.equal(host.name);
  });

  it('shows the groups and a list as cards to staff', async () => {
    const page = await w.api.get('/union/care/groups').set(bearer(staff())).expect(200);
    expect(page.text).to.include('女职工').and.include('经期和孕期保护').and.not.include('{count}');
    const list = await w.api.get('/union/care/groups/female').set(bearer(staff())).expect(200);
    expect(list.text).to.include('data-testid="person"');
  });

  it('an employee gets 403 on the group APIs and pages', async () => {
    const emp = w.token('u_emp');
    await w.api.get('/union/api/service-groups').set(bearer(emp)).expect(403);
    await w.api.get('/union/api/service-groups/female/members').set(bearer(emp)).expect(403);
    await w.api.get('/union/api/service-groups/female/export').set(bearer(emp)).expect(403);
    await w.api.get('/union/care/groups').set(bearer(emp)).expect(403);
  });

  it('an unknown group code is a 400 naming the code', async () => {
    const res = await w.api.get('/union/api/service-groups/nobody/members').set(bearer(staff())).expect(400);
    expect(JSON.stringify(res.body)).to.include('code');
  });
});
