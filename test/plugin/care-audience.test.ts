import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';
import { as, newActivity, staff } from '../helpers/activities';

/** The service groups as an audience: of an activity (who sees it, who may sign up, who is told) and of a notice. */
describe('care: service groups as the audience of activities and notices', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 60 })));
  after(async () => w.close());

  const employedWhere = async (where: Record<string, unknown>) =>
    (
      await w
        .db('host_employees')
        .where({ status: 'employed', ...where })
        .orderBy('id')
        .select('id')
    ).map((r: { id: string }) => r.id);
  const notified = (template: string) =>
    w.notify
      .getCalls()
      .filter((c) => c.args[0].template === template)
      .flatMap((c) => c.args[0].to as string[]);

  it('an activity for women reaches, lists and registers women only', async () => {
    const women = await employedWhere({ gender: 'F' });
    const men = await employedWhere({ gender: 'M' });
    const { id } = await newActivity(w, { title: '三八节插花', audience: { kind: 'groups', ids: ['female'] } });
    expect(new Set(notified('union.activity.published'))).to.deep.equal(new Set(women));
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, women[0])).send({}).expect(201);
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, men[0])).send({}).expect(403);
    const listFor = async (who: string) => (await w.api.get('/union/activities').set(as(w, who)).expect(200)).text;
    expect(await listFor(women[1])).to.include('三八节插花');
    expect(await listFor(men[0])).to.not.include('三八节插花');
    await w.api.get(`/union/activities/${id}`).set(as(w, men[0])).expect(404);
    const stats = await w.api.get(`/union/api/activities/${id}/stats`).set(staff(w)).expect(200);
    expect(stats.body.audience).to.equal(women.length);
  });

  it('several groups: anyone in any of them, once', async () => {
    const expats = await employedWhere({ expatriate: true });
    const shift = await employedWhere({ shift_worker: true });
    const { id } = await newActivity(w, { title: '家属慰问', audience: { kind: 'groups', ids: ['expatriate', 'shift_worker'] } });
    const stats = await w.api.get(`/union/api/activities/${id}/stats`).set(staff(w)).expect(200);
    expect(stats.body.audience).to.equal(new Set([...expats, ...shift]).size);
  });

  it('a group that is not one is a 400 naming the field, and nothing is written', async () => {
    const before = await w.db('union_activities').count({ n: '*' }).first();
    const res = await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({
        title: 'x',
        type: 'sports',
        location: 'x',
        capacity: 5,
        startAt: '2026-12-01T01:00:00.000Z',
        endAt: '2026-12-01T04:00:00.000Z',
        registrationDeadline: '2026-11-30T10:00:00.000Z',
        audience: { kind: 'groups', ids: ['female', 'astronauts'] },
      })
      .expect(400);
    expect(JSON.stringify(res.body)).to.include('body.audience.ids').and.include('astronauts');
    expect(await w.db('union_activities').count({ n: '*' }).first()).to.deep.equal(before);
  });

  it('staff send a notice to groups: everyone in them once, audited; an employee gets 403', async () => {
    const women = await employedWhere({ gender: 'F' });
    const expats = await employedWhere({ expatriate: true });
    const res = await w.api
      .post('/union/api/service-groups/notices')
      .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
      .send({ groups: ['female', 'expatriate'], title: '体检通知', body: '本周五女职工专项体检' })
      .expect(201);
    const expected = new Set([...women, ...expats]);
    expect(res.body.recipients).to.equal(expected.size);
    const to = notified('union.care.group-notice');
    expect(to.length).to.equal(expected.size);
    expect(new Set(to)).to.deep.equal(expected);
    const call = w.notify.getCalls().find((c) => c.args[0].template === 'union.care.group-notice')!;
    expect(call.args[0]).to.include({ title: '体检通知', body: '本周五女职工专项体检' });
    expect(await w.db('union_audit').where({ action: 'care.groups.notified' }).first()).to.include({ actor: 'u_staff' });
    await w.api
      .post('/union/api/service-groups/notices')
      .set(bearer(w.token(women[0])))
      .send({ groups: ['female'], title: 'x', body: 'y' })
      .expect(403);
  });

  it('the group page offers the notice form to staff', async () => {
    const page = await w.api
      .get('/union/care/groups/female')
      .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
      .expect(200);
    expect(page.text).to.include('data-testid="group-notice"');
  });
});
