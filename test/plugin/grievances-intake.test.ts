import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Shanghai 10:00 on a calendar date, as the fake clock's instant. */
const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);

describe('grievances: intake, routing and deadlines on China’s working days', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 40 })));
  after(async () => w.close());
  beforeEach(() => w.notify.resetHistory());

  const emp = () => bearer(w.token('u_emp'));
  const staff = (id = 'u_staff') => bearer(w.token(id, ['employee', 'union_staff']));
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const admin = () => bearer(w.token('admin', ['employee', 'admin']));
  const file = (body: object, who = emp()) => w.api.post('/union/api/grievances').set(who).send(body);

  it('an employee files: 201 with the assignee and a deadline 5 working days after the day of receipt; history, audit, notice', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const { body } = await file({ category: 'wages_benefits', content: '加班费少算了' }).expect(201);
    // Nobody is named for the category yet: the union staff the host lists by role get it.
    expect(body).to.deep.equal({ id: body.id, status: 'received', assigneeId: 'u_staff', dueAt: '2026-11-30T15:59:59.999Z' });
    const row = await w.db('union_grievances').where({ id: body.id }).first();
    expect(row).to.include({ filer_id: 'u_emp', department_id: 'D01', channel: 'online', status: 'received', due_date: '2026-11-30' });
    expect(await w.db('union_grievance_history').where({ grievance_id: body.id }).pluck('action')).to.deep.equal(['file']);
    expect(
      await w
        .db('union_audit')
        .where({ entity: 'grievance', entity_id: String(body.id) })
        .pluck('action'),
    ).to.deep.equal(['grievance.file']);
    expect(
      w.notify.calledWithMatch({ to: ['u_staff'], template: 'union.grievance.assigned', link: `/union/grievances/${body.id}` }),
    ).to.equal(true);
    expect(w.notify.firstCall.args[0].body).to.contain('工资福利');
  });

  it('an unknown or missing category is a 400 naming category, and nothing is written', async () => {
    const before = await w.db('union_grievances').count({ n: '*' }).first();
    const unknown = await file({ category: 'nonsense', content: 'x' }).expect(400);
    expect(unknown.body.error.details[0].path).to.equal('body.category');
    const missing = await file({ content: 'x' }).expect(400);
    expect(missing.body.error.details[0].path).to.equal('body.category');
    const blank = await file({ category: 'other', content: '   ' }).expect(400);
    expect(blank.body.error.details[0].path).to.equal('body.content');
    expect(await w.db('union_grievances').count({ n: '*' }).first()).to.deep.equal(before);
  });

  it('routing across National Day 2025 and its 调休 Saturday: each path sets its deadline from the day of receipt', async () => {
    w.clock.setSystemTime(at10('2025-09-30'));
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await file({ category: 'leave_shifts', content: `排班 ${i}` }).expect(201)).body.id);
    w.clock.setSystemTime(at10('2025-10-09'));
    const route = (id: number, body: object, who = staff()) => w.api.post(`/union/api/grievances/${id}/route`).set(who).send(body);
    // 10-09, 10-10, 10-11 (the 调休 Saturday), 10-13, 10-14.
    expect((await route(ids[0], { path: 'coordinated' }).expect(200)).body.dueAt).to.equal('2025-10-14T15:59:59.999Z');
    expect((await route(ids[1], { path: 'policy' }).expect(200)).body.dueAt).to.equal('2025-10-10T15:59:59.999Z');
    expect((await route(ids[2], { path: 'immediate' }, chair()).expect(200)).body.dueAt).to.equal('2025-09-30T15:59:59.999Z');
    const collective = await route(ids[3], { path: 'collective' }).expect(400);
    expect(collective.body.error.details[0].path).to.equal('body.nextRound');
    const listed = await route(ids[3], { path: 'collective', nextRound: '2026年集体协商第一轮' }).expect(200);
    expect(listed.body.dueAt).to.equal(null);
    expect(await w.db('union_grievances').where({ id: ids[3] }).first()).to.include({
      path: 'collective',
      next_round: '2026年集体协商第一轮',
    });
    expect((await route(ids[0], { path: 'coordinated', days: 3 }).expect(200)).body.dueAt).to.equal('2025-10-11T15:59:59.999Z');
    expect((await route(ids[0], { path: 'policy', days: 3 }).expect(400)).body.error.details[0].path).to.equal('body.days');
    expect(await w.db('union_grievance_history').where({ grievance_id: ids[0], action: 'route' }).pluck('note')).to.deep.equal([
      'coordinated',
      'coordinated',
    ]);
    expect(w.notify.calledWithMatch({ to: ['u_emp'], template: 'union.grievance.progress' })).to.equal(true);
  });

  it('a case received on a 调休 Saturday counts that Saturday; one received on a holiday starts after it', async () => {
    w.clock.setSystemTime(at10('2025-10-11'));
    const sat = (await file({ category: 'other', content: '周六' }).expect(201)).body.id;
    await w.api.post(`/union/api/grievances/${sat}/route`).set(staff()).send({ path: 'immediate' }).expect(200);
    expect((await w.db('union_grievances').where({ id: sat }).first()).due_date).to.equal('2025-10-11');
    w.clock.setSystemTime(at10('2025-10-03'));
    const hol = (await file({ category: 'other', content: '假期中' }).expect(201)).body;
    expect(hol.dueAt).to.equal('2025-10-14T15:59:59.999Z'); // 10-09, 10-10, 10-11 (调休), 10-13, 10-14
  });

  it('least-loaded routing among the category’s staff, ties to who waited longest; reassignment needs a reason', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    await w.db('host_user_roles').insert({ user_id: 'E000001', role: 'union_staff' }).onConflict(['user_id', 'role']).ignore();
    const name = (staffIds: string[]) =>
      w.api.put('/union/api/grievance-categories/skills_promotion').set(chair()).send({ staffIds, coordinatedDays: 3 });
    // u_staff alone first: five open cases of load.
    await name(['u_staff']).expect(200);
    for (let i = 0; i < 5; i++)
      expect((await file({ category: 'skills_promotion', content: `负载 ${i}` }).expect(201)).body.assigneeId).to.equal('u_staff');
    await name(['u_staff', 'E000001']).expect(200);
    const open = async (id: string) =>
      Number(
        (await w
          .db('union_grievances')
          .where({ assignee_id: id })
          .whereIn('status', ['received', 'in_progress'])
          .count({ n: '*' })
          .first())!.n,
      );
    expect(await open('u_staff')).to.be.greaterThan(4);
    const e1Before = await open('E000001');
    expect(e1Before).to.equal(0);
    const assignees: string[] = [];
    const dues: string[] = [];
    for (let i = 0; i < 4; i++) {
      w.clock.tick(60_000);
      const { body } = await file({ category: 'skills_promotion', content: `晋升 ${i}` }).expect(201);
      assignees.push(body.assigneeId);
      dues.push(body.dueAt);
    }
    expect(assignees).to.deep.equal(['E000001', 'E000001', 'E000001', 'E000001']);
    expect(await open('E000001')).to.equal(4);
    expect(dues[0]).to.equal('2026-11-26T15:59:59.999Z', 'the category’s coordinated days (3) hold until routing');

    const id = (await file({ category: 'skills_promotion', content: '转交' }).expect(201)).body.id;
    const who = (await w.db('union_grievances').where({ id }).first()).assignee_id;
    const to = who === 'u_staff' ? 'E000001' : 'u_staff';
    const noReason = await w.api.post(`/union/api/grievances/${id}/reassign`).set(chair()).send({ to }).expect(400);
    expect(noReason.body.error.details[0].path).to.equal('body.reason');
    await w.api.post(`/union/api/grievances/${id}/reassign`).set(chair()).send({ to, reason: '熟悉该车间' }).expect(200);
    expect((await w.db('union_grievances').where({ id }).first()).assignee_id).to.equal(to);
    expect(await w.db('union_grievance_history').where({ grievance_id: id, action: 'reassign' }).pluck('note')).to.deep.equal([
      `${to}: 熟悉该车间`,
    ]);
    expect(w.notify.calledWithMatch({ to: [to], template: 'union.grievance.assigned' })).to.equal(true);
  });

  it('ties go to who waited longest since their last case', async () => {
    w.clock.setSystemTime(at10('2026-11-24'));
    await w.db('host_user_roles').insert({ user_id: 'E000005', role: 'union_staff' }).onConflict(['user_id', 'role']).ignore();
    await w.db('host_user_roles').insert({ user_id: 'E000002', role: 'union_staff' }).onConflict(['user_id', 'role']).ignore();
    await w.api
      .put('/union/api/grievance-categories/female_protection')
      .set(chair())
      .send({ staffIds: ['E000005', 'E000002'] })
      .expect(200);
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      w.clock.tick(60_000);
      got.push((await file({ category: 'female_protection', content: `女职工 ${i}` }).expect(201)).body.assigneeId);
    }
    // Both start empty: id order, then the other (less loaded), then whoever got their last case earlier.
    expect(got).to.deep.equal(['E000002', 'E000005', 'E000002', 'E000005']);
  });

  it('without a host that lists people by role, cases fall back to the chair named in the settings', async () => {
    const ctx = w.plugin.ctx;
    const directory = ctx.host.employees;
    ctx.host.employees = { ...directory, withRole: undefined };
    const settings = ctx.settings as unknown as { grievances?: { chairId?: string } };
    try {
      const refused = await file({ category: 'housing_commute', content: '宿舍' }).expect(409);
      expect(refused.body.error.details[0].path).to.equal('assigneeId');
      settings.grievances = { chairId: 'u_chair' };
      expect((await file({ category: 'housing_commute', content: '宿舍' }).expect(201)).body.assigneeId).to.equal('u_chair');
    } finally {
      ctx.host.employees = directory;
      delete settings.grievances;
    }
  });

  it('the administrators’ calendar days move deadlines, and a year without official data is a warning', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    await w.api.post('/union/api/calendar-days').set(emp()).send({ date: '2026-11-27', kind: 'holiday' }).expect(403);
    const set = await w.api
      .post('/union/api/calendar-days')
      .set(admin())
      .send({ date: '2026-11-27', kind: 'holiday', note: '厂庆' })
      .expect(200);
    expect(set.body.unknownYears).to.deep.equal([2027]);
    expect((await file({ category: 'other', content: '厂庆日' }).expect(201)).body.dueAt).to.equal('2026-12-01T15:59:59.999Z');
    expect(await w.db('union_audit').where({ action: 'calendar.day.set' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    await w.api.post('/union/api/calendar-days').set(admin()).send({ date: '2026-11-27', kind: 'official' }).expect(200);
    expect((await file({ category: 'other', content: '恢复' }).expect(201)).body.dueAt).to.equal('2026-11-30T15:59:59.999Z');
    // Filing in late December reaches into 2027, which the package does not know: flagged on the case.
    w.clock.setSystemTime(at10('2026-12-29'));
    const late = (await file({ category: 'other', content: '年底' }).expect(201)).body.id;
    expect((await w.db('union_grievances').where({ id: late }).first()).due_estimated).to.equal(1);
    const page = await w.api.get('/union/grievances/stats').set(chair()).expect(200);
    expect(page.text).to.contain('data-testid="calendar-warning"');
  });

  it('staff record offline cases on behalf of an employee or anonymously, with the channel', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    await w.api.post('/union/api/grievances/offline').set(emp()).send({ category: 'other', content: 'x', channel: 'visit' }).expect(403);
    const bad = await w.api
      .post('/union/api/grievances/offline')
      .set(staff())
      .send({ category: 'other', content: 'x', channel: 'online' })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.channel');
    const unknownPerson = await w.api
      .post('/union/api/grievances/offline')
      .set(staff())
      .send({ category: 'other', content: 'x', channel: 'visit', onBehalfOf: 'ghost' })
      .expect(400);
    expect(unknownPerson.body.error.details[0].path).to.equal('body.onBehalfOf');
    const hotline = await w.api
      .post('/union/api/grievances/offline')
      .set(staff())
      .send({ category: 'labour_protection', content: '防护用品不足', channel: 'hotline_12351', onBehalfOf: 'u_emp' })
      .expect(201);
    expect(await w.db('union_grievances').where({ id: hotline.body.id }).first()).to.include({
      filer_id: 'u_emp',
      channel: 'hotline_12351',
      recorded_by: 'u_staff',
      anonymous: 0,
    });
    const mine = await w.api.get('/union/api/grievances/mine').set(emp()).expect(200);
    expect(mine.body.items.map((i: { id: number }) => i.id)).to.include(hotline.body.id);
    const box = await w.api
      .post('/union/api/grievances/offline')
      .set(staff())
      .send({ category: 'other', content: '意见箱纸条', channel: 'suggestion_box' })
      .expect(201);
    expect(await w.db('union_grievances').where({ id: box.body.id }).first()).to.include({
      filer_id: null,
      anonymous: 1,
      department_id: null,
    });
  });
});
