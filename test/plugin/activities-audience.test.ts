import { expect } from 'chai';
import { makeWorld, type World } from '../helpers/harness';
import { as, newActivity, staff, WHEN } from '../helpers/activities';

/** People of the care area's service groups, read from its profiles as a fixture (the module keeps them from HR). */
async function groupPeople(w: World) {
  const rows = await w.db('union_care_profiles').where({ employed: true }).orderBy('employee_id');
  const women = rows.filter((r) => Number(r.female) === 1).map((r) => r.employee_id as string);
  const men = rows.filter((r) => Number(r.female) === 0).map((r) => r.employee_id as string);
  if (women.length < 2 || !men.length) throw new Error('the seeded company needs women and men');
  return { women, men };
}

/** An activity can be open to one or more of the service groups (服务对象) the care area keeps. */
describe('activities: an audience of service groups', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ employees: 40 })));
  afterEach(async () => w.close());

  it('only people in the group are told, see it and may sign up; an unknown group is refused naming the field', async () => {
    const { women, men } = await groupPeople(w);
    w.notify.resetHistory();
    const { id } = await newActivity(w, { title: '女职工健康讲座', type: 'lecture', audience: { kind: 'groups', ids: ['female'] } });
    const told = w.notify.getCalls().find((c) => c.args[0].template === 'union.activity.published')!.args[0];
    expect(told.to).to.have.members(women);

    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, women[0])).send({}).expect(201);
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, men[0])).send({}).expect(403);
    const list = (who: string) => w.api.get('/union/activities').set(as(w, who)).expect(200);
    expect((await list(women[1])).text).to.contain('女职工健康讲座');
    expect((await list(men[0])).text).not.to.contain('女职工健康讲座');
    await w.api.get(`/union/activities/${id}`).set(as(w, men[0])).expect(404);
    const stats = (await w.api.get(`/union/api/activities/${id}/stats`).set(staff(w)).expect(200)).body;
    expect(stats.registered).to.equal(1);

    const bad = await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({ title: 'x', type: 'sports', location: 'y', ...WHEN, audience: { kind: 'groups', ids: ['vip'] } })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.audience.ids');
    await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({ title: 'x', type: 'sports', location: 'y', ...WHEN, audience: { kind: 'groups' } })
      .expect(400);
  });

  it('staff choose the groups on the form by their names, and see them ticked again', async () => {
    const cookie = `hr_session=${w.token('u_staff', ['employee', 'union_staff'])}`;
    const blank = await w.api.get('/union/activities/manage/new?lang=zh-CN').set('Cookie', cookie).expect(200);
    expect(blank.text).to.contain('一线倒班职工').and.contain('value="shift_worker"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(blank.text)![1];
    const res = await w.api
      .post('/union/activities/manage/new')
      .set('Cookie', cookie)
      .type('form')
      .send({
        _csrf: csrf,
        title: '倒班职工座谈',
        type: 'other',
        startAt: '2026-12-05T09:00',
        endAt: '2026-12-05T11:00',
        registrationDeadline: '2026-12-04T18:00',
        location: '二楼会议室',
        audienceKind: 'groups',
        audienceGroups: ['shift_worker', 'new_hire'],
      })
      .expect(303);
    const id = Number(/manage\/(\d+)/.exec(res.headers.location)![1]);
    expect((await w.db('union_activities').where({ id }).first()).audience_ids).to.equal('["shift_worker","new_hire"]');
    const edit = await w.api.get(`/union/activities/manage/${id}`).set('Cookie', cookie).expect(200);
    expect(edit.text)
      .to.match(/value="shift_worker" checked/)
      .and.to.match(/value="new_hire" checked/);
    expect(edit.text).not.to.match(/value="female" checked/);
  });
});
