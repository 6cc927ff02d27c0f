import { expect } from 'chai';
import { chaseOverdueMotions } from '../../plugin/services/congress/overdue';
import { bearer, makeWorld, type World } from '../helpers/harness';

const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);

/**
 * Motions (提案) from submission to the proposer's rating: the committee accepts or turns a motion into a
 * suggestion, the lead department answers by a deadline in working days, 不满意 sends it back once, an
 * overdue answer is chased once per level, and a withheld name never reaches the department.
 */
describe('congress motions: window, committee, deadlines, one send-back, chasing, withholding', function () {
  this.timeout(60_000);
  let w: World;
  let d: string[] = [];
  let answerer = '';
  let sessionId = 0;
  before(async () => {
    w = await makeWorld({ employees: 40 });
    const ids = (await w
      .db('host_employees')
      .where({ status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .limit(6)
      .pluck('id')) as string[];
    d = ids.slice(0, 4);
    answerer = ids[5];
    sessionId = (
      await w.api.post('/union/api/congress/sessions').set(chair()).send({ title: '第五届第三次职代会', delegates: d }).expect(201)
    ).body.id;
  });
  after(async () => w.close());
  beforeEach(() => w.notify.resetHistory());

  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const as = (id: string) => bearer(w.token(id));
  const submit = (
    who: string,
    body: object = { title: '改善夜班食堂供餐', content: '夜班职工凌晨无热餐，建议延长食堂供应时间。' },
    sid = sessionId,
  ) => w.api.post(`/union/api/congress/sessions/${sid}/motions`).set(as(who)).send(body);
  const post = (id: number, path: string, who: ReturnType<typeof chair>, body: object = {}) =>
    w.api.post(`/union/api/congress/motions/${id}/${path}`).set(who).send(body);
  const row = (id: number) => w.db('union_congress_motions').where({ id }).first();
  const sent = (template: string) => w.notify.getCalls().filter((c) => c.args[0].template === template);
  const dept = async () => (await w.db('host_employees').where({ id: answerer }).first('department_id')).department_id as string;

  it('a delegate submits (201 submitted), another seconds; a non-delegate gets 403; outside the window 409', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const out = (await submit(d[0]).expect(201)).body;
    expect(out).to.deep.equal({ id: out.id, status: 'submitted' });
    await submit('u_emp').expect(403);
    await submit(d[0], { title: '', content: 'x' }).expect(400);
    expect((await post(out.id, 'seconders', as(d[1])).expect(200)).body).to.deep.equal({ seconders: 1 });
    await post(out.id, 'seconders', as(d[1])).expect(409);
    await post(out.id, 'seconders', as('u_emp')).expect(403);

    const closed = (
      await w.api
        .post('/union/api/congress/sessions')
        .set(chair())
        .send({ title: '往届', delegates: d, motionsOpenOn: '2026-11-01', motionsCloseOn: '2026-11-20' })
        .expect(201)
    ).body.id;
    expect((await submit(d[0], undefined, closed).expect(409)).body.error.details[0].path).to.equal('window');
  });

  it('the committee turns a motion into a suggestion only with a reason; staff may not decide', async () => {
    const id = (await submit(d[1]).expect(201)).body.id;
    await post(id, 'accept', staff()).expect(403);
    expect((await post(id, 'convert', chair(), { reason: ' ' }).expect(400)).body.error.details[0].path).to.equal('body.reason');
    await post(id, 'convert', chair(), { reason: '属于日常管理事项，转职能部门办理' }).expect(200);
    expect(await row(id)).to.include({ status: 'suggestion', committee_reason: '属于日常管理事项，转职能部门办理' });
    expect(sent('union.congress.motionConverted').map((c) => c.args[0].to)).to.deep.equal([[d[1]]]);
    expect((await post(id, 'accept', chair()).expect(409)).body.error.details[0].message).to.equal('suggestion');
  });

  it('accepted, assigned with a working-day deadline, answered, sent back once by 不满意, answered again, closed by the second 不满意', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const id = (await submit(d[2], { title: '高温津贴', content: '建议按实际天数发放', withholdName: true }).expect(201)).body.id;
    await post(id, 'accept', chair()).expect(200);
    const lead = await dept();
    const other = lead === 'D01' ? 'D02' : 'D01';
    await post(id, 'assign', chair(), { leadDepartmentId: 'nope', answererId: answerer, days: 3 }).expect(400);
    await post(id, 'assign', chair(), { leadDepartmentId: lead, answererId: answerer, supportingDepartmentIds: [other], days: 3 }).expect(
      200,
    );
    // Monday 23 November plus three working days: Thursday 26 November, to the end of the day in Shanghai.
    expect(await row(id)).to.include({ status: 'assigned', answerer_id: answerer, answer_days: 3, due_at: '2026-11-26 15:59:59.999' });
    expect(sent('union.congress.motionAssigned').map((c) => c.args[0].to)).to.deep.equal([[answerer]]);

    // The department does not see the withheld name; the committee does.
    const seen = (await w.api.get(`/union/api/congress/motions/${id}`).set(as(answerer)).expect(200)).body;
    expect(seen).to.include({ proposer: null, withheld: true });
    expect(seen.actions).to.deep.equal(['answer']);
    expect(JSON.stringify(seen)).not.to.contain(d[2]);
    expect((await w.api.get(`/union/api/congress/motions/${id}`).set(chair()).expect(200)).body.proposer)
      .to.be.a('string')
      .and.not.equal('');

    await post(id, 'rate', as(d[2]), { rating: 'satisfied' }).expect(409);
    await post(id, 'answer', as(d[0]), { answer: '不是我' }).expect(403);
    await post(id, 'answer', as(answerer), { answer: '已按出勤天数核发。' }).expect(200);
    expect(sent('union.congress.motionAnswered').map((c) => c.args[0].to)).to.deep.equal([[d[2]]]);
    await post(id, 'rate', as(d[1]), { rating: 'satisfied' }).expect(403);

    w.clock.setSystemTime(at10('2026-11-25'));
    await post(id, 'rate', as(d[2]), { rating: 'dissatisfied', comment: '夜班未计入' }).expect(200);
    // Sent back with a fresh three working days from the day of the rating.
    expect(await row(id)).to.include({ status: 'assigned', sent_back: 1, rating: 'dissatisfied', due_at: '2026-11-30 15:59:59.999' });
    expect(sent('union.congress.motionSentBack').map((c) => c.args[0].to)).to.deep.equal([[answerer]]);

    await post(id, 'answer', as(answerer), { answer: '夜班已补计。' }).expect(200);
    await post(id, 'rate', as(d[2]), { rating: 'dissatisfied' }).expect(200);
    expect(await row(id)).to.include({ status: 'closed', sent_back: 1, rating: 'dissatisfied' });
    const history = await w.db('union_congress_motion_history').where({ motion_id: id }).orderBy('id').pluck('action');
    expect(history).to.deep.equal(['submit', 'accept', 'assign', 'answer', 'rate', 'answer', 'rate']);

    const report = (await w.api.get(`/union/api/congress/sessions/${sessionId}/motion-report`).set(as('u_emp')).expect(200)).body;
    expect(report).to.include({ suggestions: 1, dissatisfied: 1 });
    const item = report.items.find((m: { id: number }) => m.id === id);
    expect(item).to.include({ proposer: null, withheld: true, answer: '夜班已补计。' });
  });

  it('an overdue answer is chased once per level: the answerer after the due day, the chair a working day later', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const id = (await submit(d[3]).expect(201)).body.id;
    await post(id, 'accept', chair()).expect(200);
    await post(id, 'assign', chair(), { leadDepartmentId: await dept(), answererId: answerer, days: 3 }).expect(200);
    const run = () => chaseOverdueMotions(w.plugin.ctx);

    w.clock.setSystemTime(at10('2026-11-26'));
    expect(await run()).to.deep.equal({ answerer: 0, chair: 0 }, 'due today is not late');
    w.clock.setSystemTime(at10('2026-11-27'));
    expect(await Promise.all([run(), run()])).to.deep.include.members([{ answerer: 1, chair: 0 }]);
    expect(sent('union.congress.motionOverdue').map((c) => c.args[0].to)).to.deep.equal([[answerer]]);
    expect(await run()).to.deep.equal({ answerer: 0, chair: 0 });
    // Saturday and Sunday are not working days: Monday 30 November is the second working day late.
    w.clock.setSystemTime(at10('2026-11-29'));
    expect(await run()).to.deep.equal({ answerer: 0, chair: 0 });
    w.clock.setSystemTime(at10('2026-11-30'));
    expect(await run()).to.deep.equal({ answerer: 0, chair: 1 });
    expect(sent('union.congress.motionOverdueChair').map((c) => c.args[0].to)).to.deep.equal([['u_chair']]);
    expect(await run()).to.deep.equal({ answerer: 0, chair: 0 });
    expect(await row(id)).to.include({ escalation_level: 2 });
  });
});
