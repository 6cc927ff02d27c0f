import { expect } from 'chai';
import { bearer, makeWorld, T0, TODAY, type World } from '../helpers/harness';
import { activitiesArea } from '../../plugin/areas/activities';
import { as, employed, newActivity, registrations, staff, WHEN } from '../helpers/activities';

const admin = (w: World) => bearer(w.token('admin', ['admin']));

async function hireMember(w: World, name: string): Promise<string> {
  const res = await w.api
    .post('/hr/api/employees')
    .set(admin(w))
    .send({ name, departmentId: 'D02', gender: 'M', birthDate: '1990-03-03', hireDate: TODAY })
    .expect(201);
  return res.body.id as string;
}

const status = async (w: World, id: number, who: string) =>
  (await w.api.get(`/union/api/activities/${id}/registrations/me`).set(as(w, who))).body as { status: string; position?: number };

describe('activities: exits, offers, notices and reminders', () => {
  let w: World;
  afterEach(async () => w.close());

  describe('with the default settings', () => {
    beforeEach(async () => (w = await makeWorld({ employees: 30 })));

    it('an exit releases the place in the same transaction and promotes the first waiting member, who is told', async () => {
      const [a, b, c] = [await hireMember(w, '甲'), await hireMember(w, '乙'), await hireMember(w, '丙')];
      const { id } = await newActivity(w, { capacity: 1 });
      const past = await newActivity(
        w,
        {
          capacity: 5,
          startAt: '2026-11-23T01:00:00.000Z',
          endAt: '2026-11-23T05:00:00.000Z',
          registrationDeadline: '2026-11-23T00:30:00.000Z',
        },
        false,
      );
      await w.db('union_activities').where({ id: past.id }).update({ status: 'published' });
      await w
        .db('union_activity_registrations')
        .insert({ activity_id: past.id, employee_id: a, status: 'registered', option_ids: '[]', created_at: '2026-11-22 00:00:00.000' });
      await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a)).send({}).expect(201);
      await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, b)).send({}).expect(200);
      await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, c)).send({}).expect(200);
      w.notify.resetHistory();

      await w.api.post(`/hr/api/employees/${a}/exit`).set(admin(w)).send({ exitDate: TODAY, reason: 'resigned' }).expect(200);
      expect((await w.db('union_memberships').where({ employee_id: a }).first()).status).to.equal('expired');
      const rows = await registrations(w, id);
      expect(rows.find((r) => r.employee_id === a)).to.include({ status: 'cancelled', cancel_reason: 'exited' });
      expect(rows.find((r) => r.employee_id === b)!.status).to.equal('registered');
      expect(rows.find((r) => r.employee_id === c)!.status).to.equal('waitlisted');
      expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(1);
      // An activity already under way keeps its record of who registered.
      expect((await registrations(w, past.id))[0].status).to.equal('registered');
      await new Promise((r) => setTimeout(r, 20));
      expect(w.notify.calledWithMatch({ to: [b], template: 'union.activity.promoted' })).to.equal(true);
      expect(await w.db('union_audit').where({ action: 'activity.release_on_exit', entity_id: String(id) })).to.have.length(1);
    });

    it('publishing tells the audience with a readable title, body and link; cancelling tells everyone registered or waiting', async () => {
      const [a, b] = [await hireMember(w, '甲'), await hireMember(w, '乙')];
      w.notify.resetHistory();
      const { id } = await newActivity(w, { title: '健步走', capacity: 1 });
      const published = w.notify.getCalls().find((c) => c.args[0].template === 'union.activity.published')!.args[0];
      expect(published.to).to.have.members([a, b]);
      expect(published.title).to.equal('新活动：健步走');
      expect(published.body).to.contain('2026-12-01 09:00').and.contain('体育馆');
      expect(published.link).to.equal(`/union/activities/${id}`);
      await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a)).send({}).expect(201);
      await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, b)).send({}).expect(200);
      await w.api.post(`/union/api/activities/${id}/cancel`).set(staff(w)).send({ reason: '天气' }).expect(200);
      const cancelled = w.notify.getCalls().find((c) => c.args[0].template === 'union.activity.cancelled')!.args[0];
      expect(cancelled.to).to.have.members([a, b]);
      expect(cancelled.body).to.contain('天气');
      await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, a)).send({}).expect(409);
    });

    it('cancelling closes every registration, waitlist ticket and offer with its reason, keeps them, and tells each person once', async () => {
      const people = await employed(w, 4);
      const { id, options } = await newActivity(w, {
        capacity: 2,
        audience: { kind: 'employed' },
        options: [{ name: '跑步', capacity: 2 }],
      });
      for (const p of people)
        await w.api
          .post(`/union/api/activities/${id}/registrations`)
          .set(as(w, p))
          .send({ options: [options[0].id] });
      const edit = await w.api.get(`/union/activities/manage/${id}?lang=zh-CN`).set(staff(w)).expect(200);
      expect(edit.text).to.contain('已占名额 2，候补 2');
      w.notify.resetHistory();
      await w.api.post(`/union/api/activities/${id}/cancel`).set(staff(w)).send({ reason: '台风预警' }).expect(200);

      const rows = await registrations(w, id);
      expect(rows).to.have.length(4);
      for (const r of rows) expect(r).to.include({ status: 'cancelled', cancel_reason: 'activity_cancelled', waitlist_seq: null });
      expect(rows.every((r) => r.cancelled_at !== null)).to.equal(true);
      const a = await w.db('union_activities').where({ id }).first();
      expect(a).to.include({ status: 'cancelled', taken: 0, cancel_reason: '台风预警' });
      expect((await w.db('union_activity_options').where({ activity_id: id }).first()).taken).to.equal(0);
      for (const p of people) expect((await status(w, id, p)).status).to.equal('cancelled');
      const told = w.notify.getCalls().filter((c) => c.args[0].template === 'union.activity.cancelled');
      expect(told.flatMap((c) => c.args[0].to)).to.have.members(people);
      const audit = await w.db('union_audit').where({ action: 'activity.cancel', entity_id: String(id) });
      expect(audit).to.have.length(1);
      expect(JSON.parse(audit[0].before).registrations).to.have.length(4);
      // Nothing is left for the jobs to act on: no reminder, no offer, no release.
      w.clock.setSystemTime(new Date('2026-11-30T12:00:00.000Z'));
      const by = { trigger: 'schedule' as const, actor: { id: 'test', kind: 'system' as const } };
      expect(await activitiesArea.jobs!['activities-remind'](w.plugin.ctx, by)).to.deep.equal({ reminded: 0 });
      w.clock.setSystemTime(T0);
      await w.api.post(`/union/api/activities/${id}/cancel`).set(staff(w)).send({ reason: 'again' }).expect(409);
    });

    it('a reminder goes to each registered person once, even when the job runs twice at once', async () => {
      const people = await employed(w, 3);
      const { id } = await newActivity(w, { capacity: 2, audience: { kind: 'employed' } });
      for (const p of people) await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({});
      const job = activitiesArea.jobs!['activities-remind'];
      const by = { trigger: 'schedule' as const, actor: { id: 'test', kind: 'system' as const } };
      expect(await job(w.plugin.ctx, by)).to.deep.equal({ reminded: 0 }); // 8 days ahead: too early
      w.clock.setSystemTime(new Date('2026-11-30T12:00:00.000Z'));
      w.notify.resetHistory();
      const runs = await Promise.all([job(w.plugin.ctx, by), job(w.plugin.ctx, by), job(w.plugin.ctx, by)]);
      expect(runs.map((r) => (r as { reminded: number }).reminded).reduce((x, y) => x + y)).to.equal(2);
      await job(w.plugin.ctx, by);
      const reminded = w.notify
        .getCalls()
        .filter((c) => c.args[0].template === 'union.activity.reminder')
        .flatMap((c) => c.args[0].to);
      expect(reminded).to.have.members(people.slice(0, 2));
      expect(reminded).to.have.length(2);
      w.clock.setSystemTime(T0);
    });
  });

  describe('in offer mode', () => {
    beforeEach(async () => (w = await makeWorld({ employees: 30, settings: { activities: { waitlistMode: 'offer', offerHours: 12 } } })));

    it('a freed place is offered; unconfirmed it passes to the next person when the job runs; confirmed it is theirs', async () => {
      const [a, b, c] = await employed(w, 3);
      const { id } = await newActivity(w, { capacity: 1, audience: { kind: 'employed' } });
      for (const p of [a, b, c]) await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({});
      await w.api.delete(`/union/api/activities/${id}/registrations/me`).set(as(w, a)).expect(200);
      expect((await status(w, id, b)).status).to.equal('offered');
      expect(w.notify.calledWithMatch({ to: [b], template: 'union.activity.offered' })).to.equal(true);
      // The offer holds the place: a newcomer queues.
      expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(1);

      const job = activitiesArea.jobs!['activities-offers'];
      const by = { trigger: 'schedule' as const, actor: { id: 'test', kind: 'system' as const } };
      expect(await job(w.plugin.ctx, by)).to.deep.equal({ expired: 0, passedOn: 0, finished: 0, released: 0 });
      w.clock.setSystemTime(new Date(T0.getTime() + 12 * 3600_000 + 1000));
      expect(await job(w.plugin.ctx, by)).to.deep.equal({ expired: 1, passedOn: 1, finished: 0, released: 0 });
      expect(await job(w.plugin.ctx, by)).to.deep.equal({ expired: 0, passedOn: 0, finished: 0, released: 0 });
      expect((await status(w, id, b)).status).to.equal('cancelled');
      expect((await status(w, id, c)).status).to.equal('offered');
      await w.api.post(`/union/api/activities/${id}/registrations/me/confirm`).set(as(w, b)).expect(409);
      await w.api.post(`/union/api/activities/${id}/registrations/me/confirm`).set(as(w, c)).expect(200);
      expect((await status(w, id, c)).status).to.equal('registered');
      expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(1);
      // After the end the activity is finished.
      w.clock.setSystemTime(new Date(WHEN.endAt).getTime() + 1000);
      expect(await job(w.plugin.ctx, by)).to.deep.equal({ expired: 0, passedOn: 0, finished: 1, released: 0 });
      expect((await w.db('union_activities').where({ id }).first()).status).to.equal('finished');
    });
  });
});
