import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe('contracts: the shortfall ladder, evidence first, every step dated', function () {
  this.timeout(60_000);
  let w: World;
  before(async () => (w = await makeWorld({ employees: 20 })));
  after(async () => w.close());

  const emp = () => bearer(w.token('u_emp'));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const open = async (kind = 'unpaid_wages') =>
    (await w.api.post('/union/api/shortfalls').set(staff()).send({ kind, summary: '九月工资延迟发放 12 天' }).expect(201)).body as {
      id: number;
      status: string;
    };
  const step = (id: number, path: string, body: object = {}, who = staff()) =>
    w.api.post(`/union/api/shortfalls/${id}/${path}`).set(who).send(body);
  const chase = async () =>
    ((await w.plugin.runJob('contracts-checks', { trigger: 'button', actor: { id: 'u_staff', kind: 'user' } })).value as { chased: number })
      .chased;
  const row = (id: number) => w.db('union_shortfalls').where({ id }).first();
  const conflictState = (res: { body: { error: { details: Array<{ path: string; message: string }> } } }) =>
    res.body.error.details.find((d) => d.path === 'status')?.message;

  it('refuses to leave the evidence step without a file, then climbs prompt → consultation → letter → check → hand-over', async () => {
    w.clock.setSystemTime(at10('2026-10-09'));
    const c = await open();
    expect(c.status).to.equal('evidence');

    const noEvidence = await step(c.id, 'prompt', { note: '口头提示人力资源部' }).expect(400);
    expect(noEvidence.body.error.details[0].path).to.equal('evidence');
    expect((await row(c.id)).status).to.equal('evidence');
    expect(conflictState(await step(c.id, 'consult', { note: 'x' }).expect(409))).to.equal('evidence');

    await w.api
      .post(`/union/api/shortfalls/${c.id}/evidence`)
      .set(staff())
      .attach('file', Buffer.from('not an image'), 'a.png')
      .expect(400);
    await w.api.post(`/union/api/shortfalls/${c.id}/evidence`).set(staff()).attach('file', PNG, '工资条.png').expect(201);

    expect((await step(c.id, 'prompt', { on: '2026-10-10' }).expect(400)).body.error.details[0].path).to.equal('body.on');
    expect((await step(c.id, 'prompt', { on: '2026-10-08' }).expect(400)).body.error.details[0].path).to.equal('body.on'); // before the case
    // Five working days from Friday 9 October: the 调休 Saturday 10 October counts.
    expect((await step(c.id, 'prompt').expect(200)).body).to.deep.equal({ id: c.id, status: 'prompted', dueDate: '2026-10-15' });

    // The prompt's deadline (end of 15 October) has passed: staff are told once.
    w.clock.setSystemTime(at10('2026-10-16'));
    w.notify.resetHistory();
    expect(await chase()).to.equal(1);
    expect(await chase()).to.equal(0);
    const told = w.notify.getCalls().filter((call) => call.args[0].template === 'union.shortfall.overdue');
    expect(told).to.have.length(1);
    expect(told[0].args[0].to).to.include('u_staff');
    expect(told[0].args[0].body).to.contain('拖欠工资').and.contain('已提示').and.contain('2026-10-15');
    expect(told[0].args[0].link).to.equal(`/union/contracts/shortfalls/${c.id}`);
    expect((await step(c.id, 'consult', {}).expect(400)).body.error.details[0].path).to.equal('body.note');
    expect((await step(c.id, 'consult', { on: '2026-10-15', note: '与人力资源部协商，承诺月底补发' }).expect(200)).body.dueDate).to.equal(
      '2026-10-29',
    );
    expect(conflictState(await step(c.id, 'hand-over', { to: 'labour_authority', note: 'x' }).expect(409))).to.equal('consulting');

    w.clock.setSystemTime(at10('2026-11-02'));
    expect(await chase()).to.equal(1); // the consultation's own deadline (29 October) is chased too
    expect((await step(c.id, 'letter', { note: '发出工会劳动法律监督意见书', days: 10 }).expect(200)).body.dueDate).to.equal('2026-11-16');
    w.clock.setSystemTime(at10('2026-11-17'));
    expect((await step(c.id, 'check', { note: '复查：仍未补发' }).expect(200)).body.status).to.equal('checking');
    expect((await step(c.id, 'hand-over', { note: '移交' }).expect(400)).body.error.details[0].path).to.equal('body.to');
    await step(c.id, 'hand-over', { to: 'nobody', note: '移交' }).expect(400);
    w.clock.setSystemTime(at10('2026-11-18'));
    expect((await step(c.id, 'hand-over', { to: 'labour_authority', note: '移交劳动保障监察' }, chair()).expect(200)).body).to.deep.equal({
      id: c.id,
      status: 'handed_over',
      dueDate: null,
    });

    expect(await row(c.id)).to.include({
      status: 'handed_over',
      opened_on: '2026-10-09',
      prompted_on: '2026-10-09',
      consulted_on: '2026-10-15',
      letter_on: '2026-11-02',
      checked_on: '2026-11-17',
      closed_on: '2026-11-18',
      handed_to: 'labour_authority',
      due_at: null,
    });
    // Closed: no further step, no further file.
    expect(conflictState(await step(c.id, 'rectified', { note: '补发了' }).expect(409))).to.equal('handed_over');
    expect(
      conflictState(await w.api.post(`/union/api/shortfalls/${c.id}/evidence`).set(staff()).attach('file', PNG, 'late.png').expect(409)),
    ).to.equal('handed_over');

    const view = (await w.api.get(`/union/api/shortfalls/${c.id}`).set(staff()).expect(200)).body;
    expect(view.history.map((h: { action: string }) => h.action)).to.deep.equal([
      'open',
      'evidence',
      'prompt',
      'overdue',
      'consult',
      'overdue',
      'send_letter',
      'check',
      'hand_over',
    ]);
    expect(view.actions).to.deep.equal([]);
    expect(view.files).to.have.length(1);
    const audit = await w
      .db('union_audit')
      .where({ entity: 'shortfall', entity_id: String(c.id) })
      .orderBy('id')
      .pluck('action');
    expect(audit).to.deep.equal([
      'shortfall.open',
      'shortfall.evidence',
      'shortfall.prompt',
      'shortfall.overdue',
      'shortfall.consult',
      'shortfall.overdue',
      'shortfall.send_letter',
      'shortfall.check',
      'shortfall.hand_over',
    ]);
  });

  it('a case put right after the letter closes as rectified; employees cannot open or move cases', async () => {
    w.clock.setSystemTime(at10('2026-11-23'));
    const c = await open('missing_protection');
    await w.api.post(`/union/api/shortfalls/${c.id}/evidence`).set(staff()).attach('file', PNG, '现场.png').expect(201);
    await step(c.id, 'prompt').expect(200);
    expect((await w.api.get(`/union/api/shortfalls/${c.id}`).set(staff()).expect(200)).body.actions).to.deep.equal([
      'consult',
      'rectified',
    ]);
    await step(c.id, 'consult', { note: '协商' }).expect(200);
    await step(c.id, 'letter', { note: '发函' }).expect(200);
    expect((await row(c.id)).due_date).to.equal('2026-12-14'); // 15 working days by default
    await step(c.id, 'rectified', { note: '已配发防护用品' }).expect(200);
    expect(await row(c.id)).to.include({ status: 'rectified', closed_on: '2026-11-23', handed_to: null, due_date: null });

    await w.api.post('/union/api/shortfalls').set(emp()).send({ kind: 'unpaid_wages', summary: 'x' }).expect(403);
    await step(c.id, 'consult', { note: 'x' }, emp()).expect(403);
    const bad = await w.api.post('/union/api/shortfalls').set(staff()).send({ kind: 'late_bonus', summary: 'x' }).expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.kind');
    const noContract = await w.api
      .post('/union/api/shortfalls')
      .set(staff())
      .send({ kind: 'unpaid_wages', summary: 'x', contractId: 999 })
      .expect(400);
    expect(noContract.body.error.details[0].path).to.equal('body.contractId');
    expect(await w.db('union_shortfalls').count({ n: '*' }).first()).to.deep.equal({ n: 2 });
  });
});
