import { expect } from 'chai';
import sinon from 'sinon';
import { bearer, makeWorld, T0, TODAY, type World } from '../helpers/harness';
import { activitiesArea } from '../../plugin/areas/activities';
import type { HostEvent } from '../../plugin/host';
import { as, employed, newActivity, registrations } from '../helpers/activities';

const admin = (w: World) => bearer(w.token('admin', ['admin']));
const by = { trigger: 'schedule' as const, actor: { id: 'test', kind: 'system' as const } };
const settled = () => new Promise((r) => setTimeout(r, 20));

async function signUp(w: World, id: number, people: string[]) {
  for (const p of people) {
    const res = await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({});
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
  }
}

const statusOf = async (w: World, id: number, who: string) =>
  (await registrations(w, id)).find((r) => r.employee_id === who) as { status: string; cancel_reason: string | null } | undefined;

const releases = async (w: World, id: number) => w.db('union_audit').where({ action: 'activity.release_on_exit', entity_id: String(id) });

/** Non-members registered for an activity open to everyone employed: nothing but the exit itself frees their places. */
describe('activities: people who are not members lose their places when they leave', () => {
  let w: World;
  let emitted: sinon.SinonSpy;
  beforeEach(async () => {
    w = await makeWorld({ employees: 30 });
    emitted = sinon.spy(w.host.bus, 'emit');
  });
  afterEach(async () => {
    emitted.restore();
    await w.close();
  });
  const exitEvent = () => emitted.getCalls().find((c) => (c.args[0] as HostEvent).type === 'employee.exited')!.args[0] as HostEvent;

  it('an exit frees the place at once, the first in line is promoted and told, and the same event again changes nothing', async () => {
    const [a, b, c] = await employed(w, 3);
    expect(await w.db('union_memberships').whereIn('employee_id', [a, b, c])).to.have.length(0);
    const { id } = await newActivity(w, { capacity: 1, audience: { kind: 'employed' } });
    await signUp(w, id, [a, b, c]);
    w.notify.resetHistory();

    await w.api.post(`/hr/api/employees/${a}/exit`).set(admin(w)).send({ exitDate: TODAY, reason: 'resigned' }).expect(200);
    await settled();
    expect(await statusOf(w, id, a)).to.include({ status: 'cancelled', cancel_reason: 'exited' });
    expect((await statusOf(w, id, b))!.status).to.equal('registered');
    expect((await statusOf(w, id, c))!.status).to.equal('waitlisted');
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(1);
    expect(w.notify.calledWithMatch({ to: [b], template: 'union.activity.promoted' })).to.equal(true);
    expect(await releases(w, id)).to.have.length(1);

    // Redelivered, and delivered twice at once: still one release, one promotion, one notice.
    const event = exitEvent();
    await Promise.all([w.host.bus.emit(event), w.host.bus.emit(event)]);
    await settled();
    expect(await releases(w, id)).to.have.length(1);
    expect((await statusOf(w, id, c))!.status).to.equal('waitlisted');
    expect(w.notify.getCalls().filter((x) => x.args[0].template === 'union.activity.promoted')).to.have.length(1);
  });

  it('an old exit that arrives again after a re-hire leaves the new registration alone', async () => {
    const [a, b] = await employed(w, 2);
    const { id } = await newActivity(w, { capacity: 1, audience: { kind: 'employed' } });
    await signUp(w, id, [a, b]);
    await w.api.post(`/hr/api/employees/${a}/exit`).set(admin(w)).send({ exitDate: TODAY, reason: 'resigned' }).expect(200);
    const event = exitEvent();
    w.clock.setSystemTime(new Date(T0.getTime() + 86400_000));
    await w.api.post(`/hr/api/employees/${a}/rehire`).set(admin(w)).send({ hireDate: '2026-11-24' }).expect(200);
    await signUp(w, id, [a]);
    expect((await statusOf(w, id, a))!.status).to.equal('waitlisted');

    await w.host.bus.emit(event);
    expect((await statusOf(w, id, a))!.status).to.equal('waitlisted');
    expect(await releases(w, id)).to.have.length(1);
    w.clock.setSystemTime(T0);
  });

  it('an exit dated later frees the place on its day, through the activities job', async () => {
    const [a, b] = await employed(w, 2);
    const { id } = await newActivity(w, { capacity: 1, audience: { kind: 'employed' } });
    await signUp(w, id, [a, b]);
    await w.api.post(`/hr/api/employees/${a}/exit`).set(admin(w)).send({ exitDate: '2026-11-25', reason: 'resigned' }).expect(200);
    expect((await statusOf(w, id, a))!.status).to.equal('registered');
    const job = activitiesArea.jobs!['activities-offers'];
    expect(await job(w.plugin.ctx, by)).to.include({ released: 0 });

    w.clock.setSystemTime(new Date('2026-11-25T01:00:00.000Z'));
    w.notify.resetHistory();
    expect(await job(w.plugin.ctx, by)).to.include({ released: 1 });
    expect(await statusOf(w, id, a)).to.include({ status: 'cancelled', cancel_reason: 'exited' });
    expect((await statusOf(w, id, b))!.status).to.equal('registered');
    expect(w.notify.calledWithMatch({ to: [b], template: 'union.activity.promoted' })).to.equal(true);
    expect(await job(w.plugin.ctx, by)).to.include({ released: 0 });
    w.clock.setSystemTime(T0);
  });

  it('an exit the module learnt of without the in-process event (webhook, reconciliation) is caught by the job', async () => {
    const [a, b] = await employed(w, 2);
    const { id } = await newActivity(w, { capacity: 1, audience: { kind: 'employed' } });
    await signUp(w, id, [a, b]);
    await w.db('union_employees').where({ employee_id: a }).update({ exit_date: TODAY, status: 'exited' });
    expect(await activitiesArea.jobs!['activities-offers'](w.plugin.ctx, by)).to.include({ released: 1 });
    expect(await statusOf(w, id, a)).to.include({ status: 'cancelled', cancel_reason: 'exited' });
    expect((await statusOf(w, id, b))!.status).to.equal('registered');
  });

  it('a member who withdraws but stays employed keeps places open to everyone employed and loses those for members', async () => {
    const [a, b] = await employed(w, 2);
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    for (const p of [a, b])
      await w.api
        .post(`/union/api/members/${p}/status`)
        .set(chair)
        .send({ status: 'active', reason: 'paper form', consentDate: TODAY, consentRef: `F-${p}` })
        .expect(200);
    const open = await newActivity(w, { capacity: 1, audience: { kind: 'employed' } });
    const members = await newActivity(w, { capacity: 1 });
    await signUp(w, open.id, [a, b]);
    await signUp(w, members.id, [a, b]);
    await w.api.post(`/union/api/members/${a}/status`).set(chair).send({ status: 'withdrawn', reason: '本人申请' }).expect(200);
    expect((await statusOf(w, open.id, a))!.status).to.equal('registered');
    expect(await statusOf(w, members.id, a)).to.include({ status: 'cancelled', cancel_reason: 'not_member' });
    expect((await statusOf(w, members.id, b))!.status).to.equal('registered');
  });
});
