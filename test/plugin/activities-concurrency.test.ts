import { expect } from 'chai';
import { makeWorld, type World } from '../helpers/harness';
import { as, employed, newActivity, registrations } from '../helpers/activities';

/** Registrations in the order they took the activity's lock: their audit rows are written inside that lock. */
async function lockOrder(w: World, activityId: number): Promise<Array<{ employeeId: string; status: string }>> {
  const rows = await w
    .db('union_audit')
    .where({ action: 'activity.register' })
    .andWhere('entity_id', 'like', `${activityId}:%`)
    .orderBy('id');
  return rows.map((r) => ({ employeeId: String(r.entity_id).split(':')[1], status: JSON.parse(r.after).status }));
}

describe('activities under concurrency: never overbook, waitlist in arrival order, promote once', function () {
  this.timeout(120_000);
  let w: World;
  let people: string[];
  before(async () => {
    w = await makeWorld({ employees: 260 });
    people = await employed(w, 200);
  });
  after(async () => w.close());

  it('200 sign-ups at once for 50 places: exactly 50 registered, 150 waitlisted in the order they arrived', async () => {
    const { id } = await newActivity(w, { capacity: 50, audience: { kind: 'employed' } });
    const answers = await Promise.all(people.map((p) => w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({})));
    expect(answers.filter((a) => a.status === 201)).to.have.length(50);
    const waiting = answers.filter((a) => a.status === 200);
    expect(waiting).to.have.length(150);
    expect(waiting.map((a) => a.body.position).sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 150 }, (_, i) => i + 1));

    const rows = await registrations(w, id);
    expect(rows.filter((r) => r.status === 'registered')).to.have.length(50);
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(50);
    // Arrival order is the order of the lock: the first 50 through it registered, the rest queued behind them in turn.
    const order = await lockOrder(w, id);
    expect(order.slice(0, 50).every((o) => o.status === 'registered')).to.equal(true);
    expect(order.slice(50).every((o) => o.status === 'waitlisted')).to.equal(true);
    const seqOf = new Map(rows.map((r) => [r.employee_id, r.waitlist_seq]));
    expect(order.slice(50).map((o) => seqOf.get(o.employeeId))).to.deep.equal(Array.from({ length: 150 }, (_, i) => i + 1));
  });

  it('per option too: 200 at once for 跑步 (20) and 拔河 (30) end with exactly 20 and 30', async () => {
    const { id, options } = await newActivity(w, {
      capacity: null,
      optionLimit: 1,
      audience: { kind: 'employed' },
      options: [
        { name: '跑步', capacity: 20 },
        { name: '拔河', capacity: 30 },
      ],
    });
    const [run, tug] = options.map((o) => o.id);
    const answers = await Promise.all(
      people.map((p, i) =>
        w.api
          .post(`/union/api/activities/${id}/registrations`)
          .set(as(w, p))
          .send({ options: [i % 2 ? run : tug] }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).to.have.length(50);
    const rows = (await registrations(w, id)).filter((r) => r.status === 'registered');
    expect(rows.filter((r) => r.option_ids === `[${run}]`)).to.have.length(20);
    expect(rows.filter((r) => r.option_ids === `[${tug}]`)).to.have.length(30);
    const counters = await w.db('union_activity_options').where({ activity_id: id }).orderBy('id');
    expect(counters.map((o) => o.taken)).to.deep.equal([20, 30]);
  });

  it('10 cancellations at once promote exactly 10 waiting people, the first 10 in line, each told once', async () => {
    const { id } = await newActivity(w, { capacity: 20, audience: { kind: 'employed' } });
    for (const p of people.slice(0, 40)) await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({});
    w.notify.resetHistory();
    const leaving = people.slice(0, 10);
    const answers = await Promise.all(leaving.map((p) => w.api.delete(`/union/api/activities/${id}/registrations/me`).set(as(w, p))));
    expect(answers.every((a) => a.status === 200)).to.equal(true);
    const rows = await registrations(w, id);
    const registered = rows.filter((r) => r.status === 'registered').map((r) => r.employee_id);
    expect(registered).to.have.members(people.slice(10, 30));
    expect(rows.filter((r) => r.status === 'waitlisted').map((r) => r.employee_id)).to.have.members(people.slice(30, 40));
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(20);
    const told = w.notify.getCalls().filter((c) => c.args[0].template === 'union.activity.promoted');
    expect(told.map((c) => c.args[0].to[0])).to.have.members(people.slice(20, 30));
  });

  it('one person signing up five times at once, and again five times after cancelling, holds one place each time', async () => {
    const { id } = await newActivity(w, { capacity: 5, audience: { kind: 'employed' } });
    const p = people[0];
    const storm = () =>
      Promise.all(Array.from({ length: 5 }, () => w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({})));
    const first = await storm();
    expect(first.map((a) => a.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
    await w.api.delete(`/union/api/activities/${id}/registrations/me`).set(as(w, p)).expect(200);
    const again = await storm();
    expect(again.map((a) => a.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
    const rows = await registrations(w, id);
    expect(rows).to.have.length(1);
    expect(rows[0].status).to.equal('registered');
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(1);
  });
});
