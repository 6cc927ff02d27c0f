import { expect } from 'chai';
import { bearer, makeWorld, T0, type World } from '../helpers/harness';
import { as, employed, newActivity, registrations, staff, WHEN } from '../helpers/activities';

describe('activities: the contract outside tests rely on', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ employees: 60 })));
  afterEach(async () => w.close());

  it('staff create (201 with id) and publish; an employee gets 403; bad input names the field and writes nothing', async () => {
    const [e1] = await employed(w, 1);
    await w.api
      .post('/union/api/activities')
      .set(as(w, e1))
      .send({ title: 'x', type: 'sports', location: 'x', capacity: 5, ...WHEN })
      .expect(403);
    const bad = await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({ title: '讲座', type: 'party', location: '会议室', capacity: 5, ...WHEN })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.type');
    const backwards = await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({ title: '讲座', type: 'lecture', location: '会议室', capacity: 5, ...WHEN, endAt: WHEN.startAt })
      .expect(400);
    expect(backwards.body.error.details[0].path).to.equal('body.endAt');
    expect(await w.db('union_activities')).to.have.length(0);

    const created = await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({
        title: '健康讲座',
        type: 'lecture',
        location: '三楼会议室',
        capacity: 2,
        ...WHEN,
        description: '<p>欢迎</p><script>alert(1)</script>',
      })
      .expect(201);
    expect(created.body).to.include({ title: '健康讲座', status: 'draft', capacity: 2, description: '<p>欢迎</p>' });
    expect(created.body.audience).to.deep.equal({ kind: 'members', ids: [] });
    expect(created.body.id).to.be.a('number');
    await w.api.post(`/union/api/activities/${created.body.id}/publish`).set(as(w, e1)).expect(403);
    const pub = await w.api.post(`/union/api/activities/${created.body.id}/publish`).set(staff(w)).expect(200);
    expect(pub.body.status).to.equal('published');
    await w.api.post(`/union/api/activities/${created.body.id}/publish`).set(staff(w)).expect(409);
    const audit = await w
      .db('union_audit')
      .where({ entity: 'activity', entity_id: String(created.body.id) })
      .orderBy('id');
    expect(audit.map((a) => a.action)).to.deep.equal(['activity.create', 'activity.publish']);
  });

  it('register 201, full 200 waitlisted with position, 409 twice, cancel promotes the first waiting, me shows status', async () => {
    const [a1, a2, a3, a4] = await employed(w, 4);
    const { id } = await newActivity(w, { capacity: 2, audience: { kind: 'employed' } });
    const r1 = await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a1)).send({}).expect(201);
    expect(r1.body).to.deep.equal({ status: 'registered' });
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a2)).send({}).expect(201);
    const r3 = await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a3)).send({}).expect(200);
    expect(r3.body).to.deep.equal({ status: 'waitlisted', position: 1 });
    const r4 = await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a4)).send({}).expect(200);
    expect(r4.body).to.deep.equal({ status: 'waitlisted', position: 2 });
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a1)).send({}).expect(409);
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a3)).send({}).expect(409);

    expect((await w.api.get(`/union/api/activities/${id}/registrations/me`).set(as(w, a4)).expect(200)).body).to.include({
      status: 'waitlisted',
      position: 2,
    });
    await w.api.delete(`/union/api/activities/${id}/registrations/me`).set(as(w, a1)).expect(200);
    expect((await w.api.get(`/union/api/activities/${id}/registrations/me`).set(as(w, a1))).body.status).to.equal('cancelled');
    expect((await w.api.get(`/union/api/activities/${id}/registrations/me`).set(as(w, a3))).body.status).to.equal('registered');
    expect((await w.api.get(`/union/api/activities/${id}/registrations/me`).set(as(w, a4))).body).to.include({
      status: 'waitlisted',
      position: 1,
    });
    expect(w.notify.calledWithMatch({ to: [a3], template: 'union.activity.promoted', link: `/union/activities/${id}` })).to.equal(true);
    const rows = await registrations(w, id);
    expect(rows.filter((r) => r.status === 'registered').map((r) => r.employee_id)).to.have.members([a2, a3]);
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(2);

    // Re-registering after a cancellation joins the end of the queue.
    expect((await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a1)).send({}).expect(200)).body).to.deep.equal({
      status: 'waitlisted',
      position: 2,
    });
  });

  it('422 after the deadline, for signing up and for cancelling', async () => {
    const [a1, a2] = await employed(w, 2);
    const { id } = await newActivity(w, { audience: { kind: 'employed' } });
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a1)).send({}).expect(201);
    w.clock.setSystemTime(new Date(WHEN.registrationDeadline));
    const late = await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a2)).send({}).expect(422);
    expect(late.body.error.code).to.equal('deadline_passed');
    await w.api.delete(`/union/api/activities/${id}/registrations/me`).set(as(w, a1)).expect(422);
    expect(await registrations(w, id)).to.have.length(1);
    w.clock.setSystemTime(T0);
  });

  it('the audience decides who may sign up: members by default', async () => {
    const [a1] = await employed(w, 1);
    const { id } = await newActivity(w);
    const refused = await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a1)).send({}).expect(403);
    expect(refused.body.error.code).to.equal('forbidden');
    const hired = await w.api
      .post('/hr/api/employees')
      .set(bearer(w.token('admin', ['admin'])))
      .send({ name: '新同事', departmentId: 'D01', gender: 'F', birthDate: '1996-01-01', hireDate: '2026-11-23' })
      .expect(201);
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, hired.body.id)).send({}).expect(201);
  });

  it('options: unknown ids and more than the per-person limit are refused naming body.options', async () => {
    const [a1] = await employed(w, 1);
    const { id, options } = await newActivity(w, {
      audience: { kind: 'employed' },
      optionLimit: 1,
      options: [{ name: '跑步', capacity: 10 }, { name: '拔河' }],
    });
    const tooMany = await w.api
      .post(`/union/api/activities/${id}/registrations`)
      .set(as(w, a1))
      .send({ options: options.map((o) => o.id) })
      .expect(400);
    expect(tooMany.body.error.details[0].path).to.equal('body.options');
    const unknown = await w.api
      .post(`/union/api/activities/${id}/registrations`)
      .set(as(w, a1))
      .send({ options: [999999] })
      .expect(400);
    expect(unknown.body.error.details[0].path).to.equal('body.options');
    await w.api
      .post(`/union/api/activities/${id}/registrations`)
      .set(as(w, a1))
      .send({ options: [options[0].id] })
      .expect(201);
    expect((await w.db('union_activity_options').where({ id: options[0].id }).first()).taken).to.equal(1);
  });
});

describe('activities: editing', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ employees: 40 })));
  afterEach(async () => w.close());

  it('raising the capacity promotes the waitlist in order; lowering it below the places held is refused', async () => {
    const people = await employed(w, 4);
    const body = { title: '职工运动会', type: 'sports', location: '体育馆', ...WHEN, audience: { kind: 'employed' } };
    const { id } = await newActivity(w, { ...body, capacity: 1 });
    for (const p of people) await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({});
    const low = await w.api
      .put(`/union/api/activities/${id}`)
      .set(staff(w))
      .send({ ...body, capacity: 0 })
      .expect(400);
    expect(low.body.error.details[0].path).to.equal('body.capacity');
    await w.api
      .put(`/union/api/activities/${id}`)
      .set(staff(w))
      .send({ ...body, capacity: 3 })
      .expect(200);
    const rows = await registrations(w, id);
    expect(rows.filter((r) => r.status === 'registered').map((r) => r.employee_id)).to.have.members(people.slice(0, 3));
    expect(rows.find((r) => r.employee_id === people[3])!.status).to.equal('waitlisted');
    expect(w.notify.calledWithMatch({ to: [people[2]], template: 'union.activity.promoted' })).to.equal(true);
  });
});
