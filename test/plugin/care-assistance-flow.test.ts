import { expect } from 'chai';
import { remindReviews } from '../../plugin/services/care/assistance-review';
import { escalateOverdueCases } from '../../plugin/services/care/assistance-overdue';
import { bearer, makeWorld, type World } from '../helpers/harness';

const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);

/** A hardship assistance case through every step on MariaDB with a faked clock (Shanghai working days). */
describe('care: hardship assistance (专项帮扶) through every step', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 40, settings: { assistance: { handlerIds: ['u_staff'] } } })));
  after(async () => w.close());
  beforeEach(() => w.notify.resetHistory());

  const emp = () => bearer(w.token('u_emp'));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const post = (id: number, path: string, who: ReturnType<typeof emp>, body: object = {}) =>
    w.api.post(`/union/api/assistance-cases/${id}/${path}`).set(who).send(body);
  const row = (id: number) => w.db('union_assistance_cases').where({ id }).first();
  const sent = (template: string) => w.notify.getCalls().filter((c) => c.args[0].template === template);
  const hardship = async () =>
    (await w.api.get('/union/api/service-groups/hardship/members?limit=500').set(staff()).expect(200)).body.items.map(
      (i: { employeeId: string }) => i.employeeId,
    );

  it('applies, is accepted, verified against HR, granted, noticed with an objection, approved, paid into the welfare ledger and followed up', async () => {
    w.clock.setSystemTime(at10('2026-11-23')); // a Monday
    expect(await hardship()).not.to.include('u_emp');
    const applied = await w.api
      .post('/union/api/assistance-cases')
      .set(emp())
      .send({ category: 'illness', description: '妻子住院，医疗费用负担重' })
      .expect(201);
    const id = applied.body.id as number;
    expect(applied.body).to.include({ status: 'submitted' });
    // 受理 within 2 working days.
    expect(await row(id)).to.include({ handler_id: 'u_staff', due_date: '2026-11-25', employee_id: 'u_emp', department_id: 'D01' });
    expect(sent('union.assistance.assigned').map((c) => c.args[0].to)).to.deep.equal([['u_staff']]);
    expect(JSON.stringify(sent('union.assistance.assigned')[0].args[0])).not.to.contain('住院');
    // An open case puts the applicant in the 困难职工 group at once.
    expect(await hardship()).to.include('u_emp');

    // Moves out of order are refused with 409 naming the state.
    const early = await post(id, 'pay', staff()).expect(409);
    expect(early.body.error.details).to.deep.equal([{ path: 'status', message: 'submitted' }]);

    w.clock.setSystemTime(at10('2026-11-24'));
    await post(id, 'accept', staff(), { note: '已电话联系' }).expect(200);
    expect(await row(id)).to.include({ status: 'accepted', due_date: '2026-12-01' });

    // 核实: a home visit without the family's consent is refused and nothing is written.
    w.clock.setSystemTime(at10('2026-11-26'));
    const noConsent = await post(id, 'verify', staff(), { note: '入户', homeVisitOn: '2026-11-25' }).expect(400);
    expect(noConsent.body.error.details[0].path).to.equal('body.familyConsent');
    expect(await row(id)).to.include({ status: 'accepted', home_visit_on: null });
    await post(id, 'verify', staff(), { note: '入户走访，核实属实', homeVisitOn: '2026-11-25', familyConsent: true }).expect(200);
    expect(await row(id)).to.include({
      status: 'verified',
      verified_employed: 1,
      verified_department_id: 'D01',
      home_visit_on: '2026-11-25',
      due_date: '2026-12-03',
    });

    // 会商 is the chair's to record; a grant needs its kind, grade and amount.
    w.clock.setSystemTime(at10('2026-11-27'));
    await post(id, 'decide', staff(), { decision: 'grant', kind: 'cash', amount: 3000, grade: 'relative' }).expect(403);
    const noAmount = await post(id, 'decide', chair(), { decision: 'grant', kind: 'cash', grade: 'relative' }).expect(400);
    expect(noAmount.body.error.details[0].path).to.equal('body.amount');
    await post(id, 'decide', chair(), { decision: 'grant', kind: 'cash', amount: 3000, grade: 'relative', note: '会商同意' }).expect(200);
    // 公示 for 5 working days: ends Friday 2026-12-04.
    expect(await row(id)).to.include({ status: 'noticed', amount_cents: 300_000, grade: 'relative', notice_ends_on: '2026-12-04' });
    expect(await hardship()).to.include('u_emp');

    // The public notice: masked name, department, category, amount; never the description or the visit.
    w.clock.setSystemTime(at10('2026-11-30'));
    const board = (
      await w.api
        .get('/union/api/assistance-notices')
        .set(bearer(w.token('E000002')))
        .expect(200)
    ).body.items;
    const entry = board.find((n: { id: number }) => n.id === id);
    expect(entry).to.include({ name: '王**', category: 'illness', amount: '3000.00', endsOn: '2026-12-04' });
    expect(JSON.stringify(board)).not.to.match(/王小明|住院|入户|relative|u_emp/);

    // An objection during the notice: the staff and the chair are told; confirmation waits for it.
    const objection = await w.api
      .post(`/union/api/assistance-notices/${id}/objections`)
      .set(bearer(w.token('E000002')))
      .send({ reason: '听说其家庭另有收入' })
      .expect(201);
    expect(sent('union.assistance.objection')[0].args[0].to).to.include('u_staff');
    w.clock.setSystemTime(at10('2026-12-07'));
    const blocked = await post(id, 'confirm', staff()).expect(409);
    expect(blocked.body.error.details[0].path).to.equal('objections');
    await w.api
      .post(`/union/api/assistance-cases/${id}/objections/${objection.body.id}/resolve`)
      .set(staff())
      .send({ outcome: 'dismissed', resolution: '经核实为亲属代缴，不影响认定' })
      .expect(200);
    // Not before the notice has run its days.
    w.clock.setSystemTime(at10('2026-12-04'));
    const tooSoon = await post(id, 'confirm', staff()).expect(409);
    expect(tooSoon.body.error.details[0]).to.deep.equal({ path: 'noticeEndsOn', message: '2026-12-04' });
    w.clock.setSystemTime(at10('2026-12-07'));
    await post(id, 'confirm', staff()).expect(200);
    expect(await row(id)).to.include({
      status: 'approved',
      on_list: 1,
      approved_on: '2026-12-07',
      review_due_on: '2027-12-07',
      due_date: '2026-12-14',
    });

    // 发放: one welfare payment under the hardship-grant plan, linked to the case, seen in 我的福利.
    w.clock.setSystemTime(at10('2026-12-08'));
    await post(id, 'pay', staff(), { note: '转账' }).expect(200);
    const paid = await row(id);
    expect(paid).to.include({ status: 'paid', paid_on: '2026-12-08' });
    const payments = await w.db('union_welfare_payments').where({ employee_id: 'u_emp' });
    expect(payments).to.have.length(1);
    expect(payments[0]).to.include({ plan_id: paid.welfare_plan_id, period: '2026-12', batch: paid.welfare_batch });
    // The welfare ledger's own notice reaches the employee, once, after the case's transaction committed.
    expect(sent('union.welfare.paid').map((c) => c.args[0].to)).to.deep.equal([['u_emp']]);
    const mine = (await w.api.get('/union/api/me/welfare').set(emp()).expect(200)).body.items;
    expect(mine.map((p: { plan: string }) => p.plan)).to.deep.equal(['困难职工帮扶']);
    // Where the money went counts the grant at the committee's amount, under the hardship-grant plan.
    const spent = (await w.api.get('/union/api/care/spending?period=2026-12').set(staff()).expect(200)).body;
    expect(spent.byPlan.find((l: { label: string }) => l.label === '困难职工帮扶')).to.include({
      paid: 1,
      amount: 3000,
      entitled: 1,
      missing: 0,
    });
    expect(spent.byGroup.find((l: { key: string }) => l.key === 'hardship')).to.include({ paid: 1, amount: 3000 });
    // The case is the grant's occasion: the gap report sees the grant as owed and paid, not as paid without entitlement.
    const gaps = (await w.api.get(`/union/api/welfare/gaps?planId=${paid.welfare_plan_id}&period=2026-12`).set(staff()).expect(200)).body;
    expect({ missing: gaps.missing.length, duplicates: gaps.duplicates.length, notEntitled: gaps.notEntitled.length }).to.deep.equal({
      missing: 0,
      duplicates: 0,
      notEntitled: 0,
    });
    // Paying twice is an illegal move, and it leaves no second payment behind.
    await post(id, 'pay', staff()).expect(409);
    expect(await w.db('union_welfare_payments').where({ employee_id: 'u_emp' })).to.have.length(1);

    w.clock.setSystemTime(at10('2026-12-10'));
    await post(id, 'follow-up', staff(), {}).expect(400);
    await post(id, 'follow-up', staff(), { note: '回访：已用于医疗费用' }).expect(200);
    expect(await row(id)).to.include({ status: 'followed_up', followed_up_on: '2026-12-10', due_date: null });
    expect(await hardship()).to.include('u_emp');

    // The case file keeps every step, in order.
    const file = (await w.api.get(`/union/api/assistance-cases/${id}`).set(chair()).expect(200)).body;
    expect(file.history.map((h: { action: string }) => h.action)).to.deep.equal([
      'submit',
      'accept',
      'verify',
      'decide',
      'objection',
      'objection_dismissed',
      'confirm',
      'pay',
      'follow_up',
    ]);
    expect(file.objections[0]).to.include({
      outcome: 'dismissed',
      raisedBy: (await w.db('host_employees').where({ id: 'E000002' }).first()).name,
    });
    // One audit row per step of the case file.
    expect(
      await w
        .db('union_audit')
        .where({ entity: 'assistance_case', entity_id: String(id) })
        .count({ n: '*' })
        .first(),
    ).to.deep.equal({ n: 9 });
  });

  it('an upheld objection sends the case back to 会商; a refused case leaves the group', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const who = bearer(w.token('E000004'));
    const id = (await w.api.post('/union/api/assistance-cases').set(who).send({ category: 'other', description: '房屋受灾' }).expect(201))
      .body.id;
    await post(id, 'accept', staff()).expect(200);
    // As a form posts it: no visit (an empty date) and no amount (help in goods).
    await post(id, 'verify', staff(), { note: '核实', homeVisitOn: '', familyConsent: '' }).expect(200);
    await post(id, 'decide', chair(), { decision: 'grant', kind: 'goods', amount: '', grade: 'sudden' }).expect(200);
    expect(await row(id)).to.include({ home_visit_on: null, amount_cents: null, kind: 'goods' });
    const o = await w.api.post(`/union/api/assistance-notices/${id}/objections`).set(emp()).send({ reason: '情况不实' }).expect(201);
    await w.api
      .post(`/union/api/assistance-cases/${id}/objections/${o.body.id}/resolve`)
      .set(chair())
      .send({ outcome: 'upheld', resolution: '重新核实后再议' })
      .expect(200);
    expect(await row(id)).to.include({ status: 'verified', notice_ends_on: null, due_date: '2026-11-30' });
    // A case no longer on notice takes no objections (it is not public).
    await w.api.post(`/union/api/assistance-notices/${id}/objections`).set(emp()).send({ reason: '再次' }).expect(404);
    expect(await hardship()).to.include('E000004');
    await post(id, 'decide', chair(), { decision: 'reject', note: '不符合条件' }).expect(200);
    expect(await row(id)).to.include({ status: 'rejected', due_date: null });
    expect(await hardship()).not.to.include('E000004');
  });

  it('急难 runs on the shorter clock; staff record on an employee’s behalf; the applicant may withdraw before the decision', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const urgent = await w.api
      .post('/union/api/assistance-cases')
      .set(bearer(w.token('E000006')))
      .send({ category: 'family_emergency', description: '家中失火', urgent: true })
      .expect(201);
    expect(urgent.body.dueAt).to.equal('2026-11-23T15:59:59.999Z');
    expect(sent('union.assistance.assigned')[0].args[0].title).to.contain('急难');
    await post(urgent.body.id, 'accept', staff()).expect(200);
    expect(await row(urgent.body.id)).to.include({ due_date: '2026-11-24' });

    const recorded = await w.api
      .post('/union/api/assistance-cases/on-behalf')
      .set(chair())
      .send({ employeeId: 'E000007', category: 'work_injury', description: '工伤后康复期收入下降' })
      .expect(201);
    expect(await row(recorded.body.id)).to.include({ employee_id: 'E000007', recorded_by: 'u_chair', handler_id: 'u_chair' });
    await w.api
      .post('/union/api/assistance-cases/on-behalf')
      .set(staff())
      .send({ employeeId: 'nobody', category: 'other', description: 'x' })
      .expect(400);
    await w.api
      .get(`/union/api/assistance-cases/${recorded.body.id}`)
      .set(bearer(w.token('E000007')))
      .expect(200);
    // Staff not on the case do not see it at all; the chair on it may not withdraw for the applicant.
    await post(recorded.body.id, 'withdraw', staff()).expect(404);
    await post(recorded.body.id, 'withdraw', chair()).expect(403);
    await post(recorded.body.id, 'withdraw', bearer(w.token('E000007'))).expect(200);
    expect(await row(recorded.body.id)).to.include({ status: 'withdrawn' });
  });

  it('a late step tells the handler once, a working day later the chair once; the next step’s deadline starts afresh', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    await w.db('union_assistance_cases').update({ due_at: null }); // earlier tests' cases are not this test's
    const id = (
      await w.api
        .post('/union/api/assistance-cases')
        .set(bearer(w.token('E000009')))
        .send({ category: 'other', description: '困难' })
        .expect(201)
    ).body.id;
    w.clock.setSystemTime(at10('2026-11-25')); // the due day itself: not late
    expect(await escalateOverdueCases(w.plugin.ctx)).to.deep.equal({ handler: 0, chair: 0 });
    w.clock.setSystemTime(at10('2026-11-26'));
    expect(await escalateOverdueCases(w.plugin.ctx)).to.deep.equal({ handler: 1, chair: 0 });
    expect(await escalateOverdueCases(w.plugin.ctx)).to.deep.equal({ handler: 0, chair: 0 });
    expect(sent('union.assistance.overdue').map((c) => c.args[0].to)).to.deep.equal([['u_staff']]);
    w.clock.setSystemTime(at10('2026-11-27'));
    expect(await escalateOverdueCases(w.plugin.ctx)).to.deep.equal({ handler: 0, chair: 1 });
    expect(sent('union.assistance.overdueChair')[0].args[0].to).to.include('u_chair');
    await post(id, 'accept', staff()).expect(200); // verify by 2026-12-04
    w.clock.setSystemTime(at10('2026-12-04'));
    expect(await escalateOverdueCases(w.plugin.ctx)).to.deep.equal({ handler: 0, chair: 0 });
    w.clock.setSystemTime(at10('2026-12-07'));
    expect(await escalateOverdueCases(w.plugin.ctx)).to.deep.equal({ handler: 1, chair: 0 });
    const history = await w.db('union_assistance_history').where({ case_id: id }).pluck('action');
    expect(history).to.deep.equal(['submit', 'overdue_1', 'overdue_2', 'accept', 'overdue_1']);
  });

  it('the yearly review: staff are reminded once before it falls due; continue, change the grade, leave the list', async () => {
    // Its own case: on notice 2026-11-30 to 2026-12-07, approved 2026-12-08, due for review 2027-12-08.
    w.clock.setSystemTime(at10('2026-11-30'));
    const who = () => bearer(w.token('E000008'));
    const onList = (
      await w.api.post('/union/api/assistance-cases').set(who()).send({ category: 'illness', description: '重病' }).expect(201)
    ).body.id;
    await post(onList, 'accept', staff()).expect(200);
    await post(onList, 'verify', staff(), { note: '核实' }).expect(200);
    await post(onList, 'decide', chair(), { decision: 'grant', kind: 'cash', amount: 2000, grade: 'relative' }).expect(200);
    w.clock.setSystemTime(at10('2026-12-08'));
    await post(onList, 'confirm', staff()).expect(200);
    // Only this case is on the list (the fixture, not the code under test).
    await w.db('union_assistance_cases').whereNot({ id: onList }).update({ on_list: false });
    w.clock.setSystemTime(at10('2027-11-06'));
    expect(await remindReviews(w.plugin.ctx)).to.include({ reminded: 0 });
    w.clock.setSystemTime(at10('2027-11-08')); // within 30 days of 2027-12-08
    expect(await remindReviews(w.plugin.ctx)).to.include({ reminded: 1, handlers: 1 });
    expect(sent('union.assistance.review').map((c) => c.args[0].to)).to.deep.equal([['u_staff']]);
    expect(await remindReviews(w.plugin.ctx)).to.include({ reminded: 0 });

    await post(onList, 'review', staff(), { outcome: 'change_grade', grade: 'relative', note: '复核' }).expect(400);
    await post(onList, 'review', staff(), { outcome: 'change_grade', grade: 'deep', note: '病情加重' }).expect(200);
    expect(await row(onList)).to.include({ grade: 'deep', on_list: 1, review_due_on: '2028-11-08', review_reminded_for: null });
    await post(onList, 'review', chair(), { outcome: 'continue', note: '维持' }).expect(200);
    expect(await hardship()).to.include('E000008');
    await post(onList, 'review', staff(), { outcome: 'leave', note: '已康复返岗，收入恢复' }).expect(200);
    expect(await row(onList)).to.include({ on_list: 0, left_list_on: '2027-11-08', review_due_on: null });
    expect(await hardship()).not.to.include('E000008');
    const again = await post(onList, 'review', staff(), { outcome: 'continue', note: 'x' }).expect(400);
    expect(again.body.error.details[0].path).to.equal('status');
    const actions = (await w.api.get(`/union/api/assistance-cases/${onList}`).set(who()).expect(200)).body.history.map(
      (h: { action: string }) => h.action,
    );
    expect(actions.slice(-3)).to.deep.equal(['review', 'review', 'review']);
  });
});
