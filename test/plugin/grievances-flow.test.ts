import { expect } from 'chai';
import { escalateOverdue } from '../../plugin/services/grievances/overdue';
import { rebuildTallies } from '../../plugin/services/grievances/tallies';
import { bearer, makeWorld, type World } from '../helpers/harness';

const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);

describe('grievances: progress, pauses, escalation, follow-up and repeats', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 40 })));
  after(async () => w.close());
  beforeEach(() => w.notify.resetHistory());

  const emp = () => bearer(w.token('u_emp'));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const file = async (category = 'wages_benefits', who = emp()) =>
    (await w.api.post('/union/api/grievances').set(who).send({ category, content: '问题' }).expect(201)).body.id as number;
  const post = (id: number, path: string, who: ReturnType<typeof emp>, body: object = {}) =>
    w.api.post(`/union/api/grievances/${id}/${path}`).set(who).send(body);
  const row = (id: number) => w.db('union_grievances').where({ id }).first();
  const sent = (template: string) => w.notify.getCalls().filter((c) => c.args[0].template === template);

  it('the employee reads each update; asking for information pauses the clock and the answer resumes it with what was left', async () => {
    w.clock.setSystemTime(at10('2025-09-30'));
    const id = await file();
    await post(id, 'route', staff(), { path: 'coordinated' }).expect(200); // due 2025-10-14
    await post(id, 'updates', staff(), { note: '已联系车间主任' }).expect(200);
    const seen = await w.api.get(`/union/api/grievances/${id}`).set(emp()).expect(200);
    expect(seen.body.history.map((h: { note: string | null }) => h.note)).to.include('已联系车间主任');
    expect(seen.body.status).to.equal('in_progress');

    w.clock.setSystemTime(at10('2025-10-09'));
    await post(id, 'request-info', staff(), { note: '请上传工资条' }).expect(200);
    expect(await row(id)).to.include({ status: 'waiting_on_employee', clock_remaining_days: 4 });
    expect(sent('union.grievance.needInfo').map((c) => c.args[0].to)).to.deep.equal([['u_emp']]);
    // While paused, nothing is overdue, however long it waits.
    w.clock.setSystemTime(at10('2025-10-17'));
    expect(await escalateOverdue(w.plugin.ctx)).to.deep.equal({ assignee: 0, chair: 0 });
    await post(id, 'supply', staff(), {}).expect(400);
    await post(id, 'supply', bearer(w.token('E000002')))
      .send({ note: 'x' })
      .expect(404);

    w.clock.setSystemTime(at10('2025-10-20'));
    await post(id, 'supply', emp(), { note: '已补充' }).expect(200);
    const resumed = await row(id);
    expect(resumed).to.include({ status: 'in_progress', due_date: '2025-10-24', clock_paused_at: null });
    expect(sent('union.grievance.supplied').map((c) => c.args[0].to)).to.deep.equal([['u_staff']]);
    const view = await w.api.get(`/union/api/grievances/${id}`).set(emp()).expect(200);
    expect(view.body.dueAt).to.equal('2025-10-24T15:59:59.999Z');
  });

  it('不满意 reopens the case with a fresh deadline and tells the chair; a second 不满意 hands it to the chair; closed is locked', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const id = await file('labour_protection');
    await post(id, 'follow-up', emp(), { evaluation: 'satisfied' }).expect(409);
    await post(id, 'route', staff(), { path: 'policy' }).expect(200);
    await post(id, 'resolve', staff(), { outcome: 'partially', note: '已协调发放防护用品' }).expect(200);
    expect(await row(id)).to.include({ status: 'resolved', outcome: 'partially', on_time: 1, handling_days: 0 });
    expect(sent('union.grievance.resolved').map((c) => c.args[0].to)).to.deep.equal([['u_emp']]);

    w.clock.setSystemTime(at10('2026-11-25'));
    await post(id, 'follow-up', emp(), {
      evaluation: 'dissatisfied',
      comment: '还没发到',
      knowsOutcome: true,
      acceptsOutcome: false,
    }).expect(200);
    expect(await row(id)).to.include({
      status: 'in_progress',
      reopened_count: 1,
      assignee_id: 'u_staff',
      due_date: '2026-11-27',
      evaluation: 'dissatisfied',
    });
    expect(sent('union.grievance.dissatisfied').map((c) => c.args[0].to)).to.deep.equal([['u_chair']]);

    await post(id, 'resolve', staff(), { outcome: 'resolved', note: '已补发' }).expect(200);
    await post(id, 'follow-up', emp(), { evaluation: 'dissatisfied', comment: '仍有问题' }).expect(200);
    expect(await row(id)).to.include({ status: 'in_progress', reopened_count: 2, assignee_id: 'u_chair' });
    await post(id, 'resolve', staff(), { outcome: 'resolved', note: 'x' }).expect(404); // no longer on the case
    await post(id, 'resolve', chair(), { outcome: 'resolved', note: '主席督办解决' }).expect(200);
    await post(id, 'follow-up', emp(), {
      evaluation: 'basically_satisfied',
      knowsOutcome: true,
      acceptsOutcome: true,
      newProblem: false,
    }).expect(200);
    expect(await row(id)).to.include({ status: 'closed', evaluation: 'basically_satisfied', accepts_outcome: 1, new_problem: 0 });

    const locked = await post(id, 'updates', chair(), { note: '补充' }).expect(409);
    expect(locked.body.error.details).to.deep.equal([{ path: 'status', message: 'closed' }]);
    await post(id, 'follow-up', emp(), { evaluation: 'dissatisfied' }).expect(409);
    const closed = (await w.api.get(`/union/api/grievances/${id}`).set(emp()).expect(200)).body;
    expect(closed).to.include({ locked: true, status: 'closed' });
    expect(closed.actions).to.deep.equal([]);
  });

  it('the repeat rule: the same category from the same department 3 times in a quarter goes onto the rectification list once', async () => {
    w.clock.setSystemTime(at10('2026-04-01'));
    await file('housing_commute');
    await file('housing_commute');
    await file('housing_commute', bearer(w.token('E000001'))); // another department (D11)
    expect(await w.db('union_grievance_rectifications').where({ quarter: '2026-Q2' })).to.have.length(0);
    w.clock.setSystemTime(at10('2026-06-30'));
    await file('housing_commute');
    const listed = await w.db('union_grievance_rectifications').where({ quarter: '2026-Q2' });
    expect(listed).to.have.length(1);
    expect(listed[0]).to.include({ category: 'housing_commute', department_id: 'D01', cases: 3, next_checkpoint: '2026-06-30' });
    await file('housing_commute');
    expect(await w.db('union_grievance_rectifications').where({ quarter: '2026-Q2' }).pluck('cases')).to.deep.equal([4]);
    w.clock.setSystemTime(at10('2026-07-01'));
    await file('housing_commute');
    expect(await w.db('union_grievance_rectifications').where({ quarter: '2026-Q3' })).to.have.length(0);
    w.clock.setSystemTime(at10('2026-06-15'));
    const list = await w.api.get('/union/api/grievances/rectifications').set(chair()).expect(200);
    expect(list.body.items).to.deep.equal([
      {
        id: list.body.items[0].id,
        quarter: '2026-Q2',
        category: 'housing_commute',
        departmentId: 'D01',
        cases: 4,
        ownerId: null,
        nextCheckpoint: '2026-06-30',
        satisfaction: null,
      },
    ]);
    await w.api.get('/union/api/grievances/rectifications').set(staff()).expect(403);
  });

  it('statistics for the chair: total, shares by category, resolution, on-time and satisfaction rates', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    // Cases of its own, so that every rate has cases behind it even when this test runs alone.
    const [a, b] = [await file('other'), await file('leave_shifts')];
    await file('leave_shifts');
    for (const id of [a, b]) await post(id, 'resolve', staff(), { outcome: 'resolved', note: '已答复' }).expect(409);
    for (const id of [a, b]) await post(id, 'updates', staff(), { note: '处理中' }).expect(200);
    await post(a, 'resolve', staff(), { outcome: 'resolved', note: '已答复' }).expect(200);
    await post(a, 'follow-up', emp(), { evaluation: 'satisfied' }).expect(200);
    w.clock.setSystemTime(at10('2026-12-10'));
    await post(b, 'resolve', staff(), { outcome: 'not_now', note: '暂难解决' }).expect(200);
    await post(b, 'follow-up', emp(), { evaluation: 'basically_satisfied' }).expect(200);
    expect(await row(b)).to.include({ on_time: 0 });
    await w.api.get('/union/api/stats/grievances').set(staff()).expect(403);
    const { body } = await w.api.get('/union/api/stats/grievances').set(chair()).expect(200);
    const all = await w.db('union_grievances').select('category', 'status', 'on_time', 'evaluation', 'received_on');
    expect(body.total).to.equal(all.length);
    const cats = [...new Set(all.map((r) => r.category))];
    expect(body.byCategory.map((c: { category: string }) => c.category).sort()).to.deep.equal(cats.sort());
    for (const c of body.byCategory) {
      const n = all.filter((r) => r.category === c.category).length;
      expect(c).to.include({ count: n, share: Math.round((n / all.length) * 1000) / 1000 });
    }
    const resolved = all.filter((r) => ['resolved', 'closed'].includes(r.status)).length;
    expect(body.resolutionRate).to.equal(Math.round((resolved / all.length) * 1000) / 1000);
    const evaluated = all.filter((r) => r.evaluation);
    const good = evaluated.filter((r) => r.evaluation !== 'dissatisfied').length;
    expect(body.satisfactionRate).to.equal(Math.round((good / evaluated.length) * 1000) / 1000);
    const timed = all.filter((r) => r.on_time !== null);
    expect(body.onTimeRate).to.equal(Math.round((timed.filter((r) => r.on_time).length / timed.length) * 1000) / 1000);
    const page = await w.api.get('/union/grievances/stats').set(chair()).expect(200);
    expect(page.text).to.contain('<svg');
    // The running totals the writers kept equal the totals recomputed from the cases.
    const kept = await w.db('union_grievance_tallies').orderBy(['month', 'category', 'department_id']);
    await rebuildTallies(w.plugin.ctx);
    expect(await w.db('union_grievance_tallies').orderBy(['month', 'category', 'department_id'])).to.deep.equal(kept);
    const april = await w.api.get('/union/api/stats/grievances?from=2026-04-01&to=2026-06-30').set(chair()).expect(200);
    expect(april.body.total).to.equal(all.filter((r) => r.received_on >= '2026-04-01' && r.received_on <= '2026-06-30').length);
  });

  describe('on a world of its own (no other case is overdue)', () => {
    before(async () => {
      await w.close();
      w = await makeWorld({ employees: 10 });
    });

    it('overdue: the assignee is told once, then the chair once, however many instances run the job', async () => {
      w.clock.setSystemTime(at10('2026-11-23'));
      const id = await file(); // due 2026-11-30
      w.clock.setSystemTime(at10('2026-11-30'));
      expect(await escalateOverdue(w.plugin.ctx)).to.deep.equal({ assignee: 0, chair: 0 }, 'due today is not late');
      w.clock.setSystemTime(at10('2026-12-01'));
      const twice = await Promise.all([escalateOverdue(w.plugin.ctx), escalateOverdue(w.plugin.ctx)]);
      expect(twice.map((r) => r.assignee).sort()).to.deep.equal([0, 1]);
      expect(sent('union.grievance.overdue').map((c) => c.args[0].to)).to.deep.equal([['u_staff']]);
      expect(await escalateOverdue(w.plugin.ctx)).to.deep.equal({ assignee: 0, chair: 0 });
      expect((await row(id)).escalation_level).to.equal(1);

      w.clock.setSystemTime(at10('2026-12-02'));
      const again = await Promise.all([escalateOverdue(w.plugin.ctx), escalateOverdue(w.plugin.ctx), escalateOverdue(w.plugin.ctx)]);
      expect(again.map((r) => r.chair).sort()).to.deep.equal([0, 0, 1]);
      expect(sent('union.grievance.overdueChair').map((c) => c.args[0].to)).to.deep.equal([['u_chair']]);
      expect(sent('union.grievance.overdue')).to.have.length(1);
      w.clock.setSystemTime(at10('2026-12-09'));
      expect(await escalateOverdue(w.plugin.ctx)).to.deep.equal({ assignee: 0, chair: 0 });
      expect(
        await w.db('union_grievance_history').where({ grievance_id: id }).whereIn('action', ['overdue_1', 'overdue_2']).pluck('action'),
      ).to.deep.equal(['overdue_1', 'overdue_2']);
      expect(
        await w
          .db('union_audit')
          .where({ action: 'grievance.escalate', entity_id: String(id) })
          .count({ n: '*' })
          .first(),
      ).to.deep.equal({ n: 2 });
      const review = await w.api.get('/union/api/grievances/overdue').set(chair()).expect(200);
      expect(review.body.items.map((i: { id: number }) => i.id)).to.include(id);
      // Through the manifest job and its lease too: nothing left to tell.
      const ran = await w.plugin.runJob('grievances-overdue', { trigger: 'button', actor: { id: 'u_chair', kind: 'user' } });
      expect(ran).to.deep.include({ ran: true });
    });
  });
});
