import { expect } from 'chai';
import { bearer, makeWorld, T0, type World } from '../helpers/harness';
import { as, at10, chair, hire, makeBranch, staff } from '../helpers/desk';

type Todo = { kind: string; count: number; href: string };

/** To-dos appear when work arrives and go when it is done; each person sees only what they may act on. */
describe('desk: to-dos appear and disappear as the work is done', function () {
  this.timeout(120_000);
  let w: World;
  let branchStaff: string;
  before(async () => {
    w = await makeWorld({ employees: 40 });
    await makeBranch(w);
    branchStaff = await hire(w, 'D05', '2026-11-23', '分会干事');
    await w.db('host_user_roles').insert({ user_id: branchStaff, role: 'union_staff' });
  });
  after(async () => w.close());
  afterEach(() => w.clock.setSystemTime(T0));

  const todos = async (who: ReturnType<typeof bearer>): Promise<Record<string, number>> => {
    const { body } = await w.api.get('/union/api/dashboard').set(who).expect(200);
    return Object.fromEntries((body.todos as Todo[]).map((t) => [t.kind, t.count]));
  };
  const branchCaller = () => bearer(w.token(branchStaff, ['employee', 'union_staff']));

  it('a join application waits for staff of its branch, and goes once approved', async () => {
    const before = await todos(staff(w));
    const { body } = await w.api.post('/union/api/join-applications').set(as(w, 'u_emp')).send({ consent: true }).expect(201);
    expect((await todos(staff(w))).applications).to.equal(before.applications + 1);
    expect((await todos(chair(w))).applications).to.equal(before.applications + 1);
    // u_emp works in D01, outside the branch (D05).
    expect((await todos(branchCaller())).applications).to.equal(0);
    await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(200);
    expect((await todos(staff(w))).applications).to.equal(before.applications);
  });

  it('an invitation unanswered for two weeks appears, in its branch only, and goes when the person joins', async () => {
    const person = await hire(w, 'D05', '2026-01-01');
    await w.api.post(`/union/api/members/${person}/status`).set(chair(w)).send({ status: 'withdrawn', reason: 'test' });
    const outsider = (await w.db('union_employees').where({ department_id: 'D02' }).whereNull('exit_date').first('employee_id'))
      .employee_id;
    await w.api
      .post('/union/api/invitations')
      .set(staff(w))
      .send({ employeeIds: [outsider] })
      .expect(201);
    expect((await todos(staff(w))).invitations).to.equal(0);
    w.clock.setSystemTime(at10('2026-12-08'));
    expect((await todos(staff(w))).invitations).to.equal(1);
    expect((await todos(branchCaller())).invitations).to.equal(0);
    const app = await w.api.post('/union/api/join-applications').set(as(w, outsider)).send({ consent: true }).expect(201);
    await w.api.post(`/union/api/join-applications/${app.body.id}/approve`).set(staff(w)).expect(200);
    expect((await todos(staff(w))).invitations).to.equal(0);
  });

  it('a grievance is due soon, then overdue, for its handler and the chair only; resolving it clears both', async () => {
    const id = (await w.api.post('/union/api/grievances').set(as(w, 'u_emp')).send({ category: 'other', content: '班车' }).expect(201)).body
      .id;
    const assignee = (await w.db('union_grievances').where({ id }).first('assignee_id')).assignee_id as string;
    const handler = () => bearer(w.token(assignee, ['employee', 'union_staff']));
    const other = () => (assignee === 'u_staff' ? branchCaller() : staff(w));
    await w.api.post(`/union/api/grievances/${id}/route`).set(handler()).send({ path: 'coordinated' }).expect(200);
    // 2026-11-23 (Mon) + 5 working days = 11-30; from 11-26 it is due within two working days.
    expect(await todos(handler())).to.include({ grievancesOverdue: 0, grievancesDueSoon: 0 });
    w.clock.setSystemTime(at10('2026-11-26'));
    expect(await todos(handler())).to.include({ grievancesOverdue: 0, grievancesDueSoon: 1 });
    expect(await todos(chair(w))).to.include({ grievancesDueSoon: 1 });
    w.clock.setSystemTime(at10('2026-12-01'));
    expect(await todos(handler())).to.include({ grievancesOverdue: 1, grievancesDueSoon: 0 });
    expect(await todos(chair(w))).to.include({ grievancesOverdue: 1 });
    expect(await todos(other())).to.include({ grievancesOverdue: 0 });
    await w.api.post(`/union/api/grievances/${id}/resolve`).set(handler()).send({ outcome: 'resolved', note: '已加开班车' }).expect(200);
    expect(await todos(handler())).to.include({ grievancesOverdue: 0, grievancesDueSoon: 0 });
    expect(await todos(chair(w))).to.include({ grievancesOverdue: 0 });
  });

  it('a joint-sheet step waits on a department until it answers', async () => {
    const id = (
      await w.api.post('/union/api/grievances').set(as(w, 'u_emp')).send({ category: 'labour_protection', content: '防护' }).expect(201)
    ).body.id;
    const assignee = (await w.db('union_grievances').where({ id }).first('assignee_id')).assignee_id as string;
    const handler = () => bearer(w.token(assignee, ['employee', 'union_staff']));
    await w.api.post(`/union/api/grievances/${id}/updates`).set(handler()).send({ note: '发起会办' }).expect(200);
    await w.api
      .post(`/union/api/grievances/${id}/joint-steps`)
      .set(handler())
      .send({ steps: [{ departmentId: 'D11', staffId: 'E000001', days: 2, asked: '排班表' }] })
      .expect(201);
    expect((await todos(handler())).jointSteps).to.equal(1);
    expect((await todos(chair(w))).jointSteps).to.equal(1);
    await w.api
      .post(`/union/api/grievances/${id}/joint-steps/answer`)
      .set(bearer(w.token('E000001')))
      .send({ note: '已附' })
      .expect(200);
    expect((await todos(handler())).jointSteps).to.equal(0);
  });

  it('an activity this week with a waitlist appears, and goes when the waitlist empties', async () => {
    const a = await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({
        title: '羽毛球赛',
        type: 'sports',
        location: '体育馆',
        capacity: 1,
        startAt: '2026-11-27T01:00:00.000Z',
        endAt: '2026-11-27T04:00:00.000Z',
        registrationDeadline: '2026-11-26T10:00:00.000Z',
      })
      .expect(201);
    await w.api.post(`/union/api/activities/${a.body.id}/publish`).set(staff(w)).expect(200);
    const [p1, p2] = [await hire(w, 'D01', '2026-11-23'), await hire(w, 'D01', '2026-11-23')];
    await w.api.post(`/union/api/activities/${a.body.id}/registrations`).set(as(w, p1)).send({}).expect(201);
    expect((await todos(staff(w))).activitiesWaitlist).to.equal(0);
    await w.api.post(`/union/api/activities/${a.body.id}/registrations`).set(as(w, p2)).send({});
    expect(await w.db('union_activity_registrations').where({ activity_id: a.body.id, employee_id: p2 }).first('status')).to.deep.equal({
      status: 'waitlisted',
    });
    expect((await todos(staff(w))).activitiesWaitlist).to.equal(1);
    await w.api.delete(`/union/api/activities/${a.body.id}/registrations/me`).set(as(w, p2)).expect(200);
    expect((await todos(staff(w))).activitiesWaitlist).to.equal(0);
  });

  it("last month's welfare gaps appear for those who pay, and go once the missing are paid", async () => {
    const plan = await w.api
      .post('/union/api/welfare/plans')
      .set(staff(w))
      .send({ name: '生日慰问', amount: 200, cycle: 'monthly', startsOn: '2026-10-01', audience: 'all_members' })
      .expect(201);
    const gaps = await w.api.get(`/union/api/welfare/gaps?planId=${plan.body.id}&period=2026-10`).set(staff(w)).expect(200);
    const missing = gaps.body.missing.map((m: { employeeId: string }) => m.employeeId) as string[];
    expect(missing.length).to.be.greaterThan(0);
    expect((await todos(staff(w))).welfareGaps).to.equal(missing.length);
    if (missing.length > 1) {
      await w.api
        .post('/union/api/welfare/payments')
        .set(staff(w))
        .send({ planId: plan.body.id, period: '2026-10', employeeIds: missing.slice(1) })
        .expect(201);
      expect((await todos(staff(w))).welfareGaps).to.equal(1);
    }
    await w.api
      .post('/union/api/welfare/payments')
      .set(staff(w))
      .send({ planId: plan.body.id, period: '2026-10', employeeIds: missing.slice(0, 1) })
      .expect(201);
    expect((await todos(staff(w))).welfareGaps).to.equal(0);
  });

  it('the desk page puts the to-dos first and shows the figures as cards after them', async () => {
    const page = await w.api.get('/union/desk').set(staff(w)).expect(200);
    const todosAt = page.text.indexOf('data-testid="desk-todos"');
    expect(todosAt).to.be.greaterThan(0);
    expect(todosAt).to.be.lessThan(page.text.indexOf('data-testid="kpi-coverage"'));
    expect(page.text).to.contain('待办').and.contain('会员覆盖率');
    await w.api.get('/union/desk').set(as(w, 'u_emp')).expect(403);
  });

  it('figures are served as counted for a quarter of an hour, saying when; the job recounts them; to-dos stay live', async () => {
    const kpiOf = async (key: string) =>
      (
        (await w.api.get('/union/api/dashboard').set(chair(w)).expect(200)).body.kpis as Array<{ key: string; value: number; at: string }>
      ).find((k) => k.key === key)!;
    const rate = async () => (await w.api.get('/union/api/stats/coverage').set(chair(w)).expect(200)).body.rate as number;
    w.clock.tick(16 * 60_000); // past what the earlier tests' desks stored
    const first = await kpiOf('coverage');
    expect(first.value).to.equal(await rate());
    expect(first.at).to.equal(new Date().toISOString());
    await hire(w, 'D03', '2026-11-23');
    w.clock.tick(60_000);
    const later = await kpiOf('coverage');
    expect(later).to.deep.equal(first); // as counted a minute ago, and says so
    expect(await rate()).to.not.equal(first.value);
    w.clock.tick(15 * 60_000);
    expect((await kpiOf('coverage')).value).to.equal(await rate());

    await hire(w, 'D03', '2026-11-23');
    const run = await w.plugin.runJob('desk-figures', { trigger: 'button', actor: { id: 'u_chair', kind: 'user' } });
    expect(run.value).to.include({ period: '2026', roles: 2 });
    expect((await kpiOf('coverage')).value).to.equal(await rate());
  });
});
