import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { makeWorld, T0, type World } from '../helpers/harness';
import { as, employed, newActivity, staff, WHEN } from '../helpers/activities';

const DURING = new Date('2026-12-01T02:00:00.000Z');

describe('activities: check-in, feedback, statistics and the roster', () => {
  let w: World;
  let people: string[];
  let id: number;
  beforeEach(async () => {
    w = await makeWorld({ employees: 40 });
    people = await employed(w, 5);
    ({ id } = await newActivity(w, { capacity: 4, audience: { kind: 'employed' } }));
    for (const p of people) await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({});
  });
  afterEach(async () => {
    w.clock.setSystemTime(T0);
    await w.close();
  });

  it('staff check in from the roster during the event; a second check-in changes nothing; a waitlisted person cannot', async () => {
    const early = await w.api.post(`/union/api/activities/${id}/checkins`).set(staff(w)).send({ employeeId: people[0] }).expect(409);
    expect(early.body.error.details[0].path).to.equal('time');
    w.clock.setSystemTime(DURING);
    const first = await w.api.post(`/union/api/activities/${id}/checkins`).set(staff(w)).send({ employeeId: people[0] }).expect(200);
    expect(first.body.already).to.equal(false);
    w.clock.setSystemTime(new Date(DURING.getTime() + 600_000));
    const second = await w.api.post(`/union/api/activities/${id}/checkins`).set(staff(w)).send({ employeeId: people[0] }).expect(200);
    expect(second.body).to.include({ already: true, checkedInAt: first.body.checkedInAt });
    await w.api.post(`/union/api/activities/${id}/checkins`).set(staff(w)).send({ employeeId: people[4] }).expect(409);
    await w.api.post(`/union/api/activities/${id}/checkins`).set(as(w, people[1])).send({ employeeId: people[1] }).expect(403);
    expect((await w.api.get(`/union/api/activities/${id}/registrations/me`).set(as(w, people[0]))).body.status).to.equal('attended');
    expect(await w.db('union_audit').where({ action: 'activity.checkin' })).to.have.length(1);
  });

  it('the venue code checks the employee in only during the event window; forged and other activities’ codes are refused', async () => {
    const code = (await w.api.get(`/union/api/activities/${id}/venue-code`).set(staff(w)).expect(200)).body;
    expect(code.url).to.match(new RegExp(`/union/activities/${id}/checkin\\?t=`));
    expect(code.qr).to.match(/^data:image\/svg\+xml;base64,/);
    await w.api.post(`/union/api/activities/${id}/checkin`).set(as(w, people[1])).send({ token: code.token }).expect(403);
    w.clock.setSystemTime(DURING);
    const [payload, sig] = code.token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), exp: 9e15 })).toString(
      'base64url',
    );
    const bad = await w.api
      .post(`/union/api/activities/${id}/checkin`)
      .set(as(w, people[1]))
      .send({ token: `${forged}.${sig}` })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.token');
    await w.api.post(`/union/api/activities/${id}/checkin`).set(as(w, people[1])).send({ token: code.token }).expect(200);
    const row = await w.db('union_activity_registrations').where({ activity_id: id, employee_id: people[1] }).first();
    expect(row).to.include({ checkin_method: 'venue', checked_in_by: people[1] });
    w.clock.setSystemTime(new Date(WHEN.endAt).getTime() + 1000);
    await w.api.post(`/union/api/activities/${id}/checkin`).set(as(w, people[2])).send({ token: code.token }).expect(403);
  });

  it('staff scan the personal code; the code names the person and only this activity', async () => {
    const mine = (await w.api.get(`/union/api/activities/${id}/my-code`).set(as(w, people[2])).expect(200)).body;
    expect(mine.url).to.contain(`/union/activities/manage/${id}/scan?t=`);
    w.clock.setSystemTime(DURING);
    const other = await newActivity(w, { capacity: 4, audience: { kind: 'employed' } });
    await w.api.post(`/union/api/activities/${other.id}/checkins`).set(staff(w)).send({ token: mine.token }).expect(400);
    const scanned = await w.api.post(`/union/api/activities/${id}/checkins`).set(staff(w)).send({ token: mine.token }).expect(200);
    expect(scanned.body).to.include({ employeeId: people[2], already: false });
    const page = await w.api.get(`/union/activities/manage/${id}/scan?t=${mine.token}`).set(staff(w)).expect(200);
    expect(page.text).to.contain('data-testid="scan"');
  });

  it('feedback once from those who attended; stats count registered, attended, waitlisted, rates, average and distribution', async () => {
    w.clock.setSystemTime(DURING);
    for (const p of people.slice(0, 3))
      await w.api.post(`/union/api/activities/${id}/checkins`).set(staff(w)).send({ employeeId: p }).expect(200);
    await w.api.post(`/union/api/activities/${id}/feedback`).set(as(w, people[3])).send({ score: 5 }).expect(409);
    const bad = await w.api.post(`/union/api/activities/${id}/feedback`).set(as(w, people[0])).send({ score: 6 }).expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.score');
    await w.api.post(`/union/api/activities/${id}/feedback`).set(as(w, people[0])).send({ score: 5, suggestion: '希望多办' }).expect(201);
    await w.api.post(`/union/api/activities/${id}/feedback`).set(as(w, people[0])).send({ score: 1 }).expect(409);
    await w.api.post(`/union/api/activities/${id}/feedback`).set(as(w, people[1])).send({ score: 4 }).expect(201);
    w.clock.setSystemTime(new Date(WHEN.endAt).getTime() + 1000);
    await w.api.get(`/union/api/activities/${id}/stats`).set(as(w, people[0])).expect(403);
    const { body } = await w.api.get(`/union/api/activities/${id}/stats`).set(staff(w)).expect(200);
    expect(body).to.include({
      registered: 4,
      attended: 3,
      capacity: 4,
      waitlisted: 1,
      participationRate: 0.75,
      averageScore: 4.5,
      noShows: 1,
    });
    expect(body.distribution.map((d: { count: number }) => d.count)).to.deep.equal([0, 0, 0, 1, 1]);
    expect(body.suggestions.map((s: { text: string }) => s.text)).to.deep.equal(['希望多办']);
    expect(body.reachRate).to.be.a('number');
  });

  it('the roster exports as xlsx with names, departments and contacts read from the host', async () => {
    const res = await w.api
      .get(`/union/api/activities/${id}/roster.xlsx`)
      .set(staff(w))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).to.include('姓名').and.include('部门').and.include('联系方式');
    expect(ws.rowCount).to.equal(6);
    const host = await w.db('host_employees').where({ id: people[0] }).first();
    expect(ws.getRow(2).getCell(1).value).to.equal(host.name);
    expect(String(ws.getRow(2).getCell(4).value)).to.equal(host.phone);
    expect(ws.getRow(6).getCell(6).value).to.equal('候补中');
  });
});
