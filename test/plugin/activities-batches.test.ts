import { expect } from 'chai';
import supertest from 'supertest';
import { createHostApp } from '../../examples/host/app';
import { DEV_SECRET } from '../../examples/host/sso';
import type { UnionPlugin } from '../../plugin';
import type { Actor } from '../../plugin/context';
import { SignUpQueue, signUpQueue } from '../../plugin/services/activities/signup-queue';
import { makeWorld, T0, type World } from '../helpers/harness';
import { as, employed, newActivity, registrations, WHEN } from '../helpers/activities';

const actor = (id: string): Actor => ({ id, kind: 'user' });
const signUp = (q: SignUpQueue, activityId: number, who: string, options?: number[]) =>
  q.submit(activityId, { actor: actor(who), employeeId: who, options });
/** What a caller is told: the outcome, or the error's status and code. */
const told = (s: PromiseSettledResult<unknown>) =>
  s.status === 'fulfilled' ? s.value : { error: (s.reason as { status?: number }).status ?? String(s.reason) };

/**
 * Sign-ups for one activity are written in batches (group commit): each batch locks the activity once and
 * decides its sign-ups in arrival order exactly as alone. Batching must change nothing a caller can see.
 */
describe('activities: sign-ups in batches', function () {
  this.timeout(120_000);
  let w: World;
  let people: string[];
  before(async () => {
    w = await makeWorld({ employees: 260 });
    people = await employed(w, 200);
  });
  after(async () => w.close());

  it('a storm of 200 sign-ups for 50 places is written in a few batches: the first 50 to arrive registered, the rest waitlisted in arrival order', async () => {
    const { id } = await newActivity(w, { capacity: 50, audience: { kind: 'employed' } });
    const q = new SignUpQueue(w.plugin.ctx, 32);
    // Submitted in this order without waiting: the order they arrive in.
    const answers = await Promise.all(people.map((p) => signUp(q, id, p)));
    expect(q.signUps).to.equal(200);
    expect([q.largestBatch, q.failedBatches]).to.deep.equal([32, 0]);
    expect(q.batches).to.be.lessThan(20);

    expect(answers.slice(0, 50)).to.deep.equal(people.slice(0, 50).map(() => ({ status: 'registered', position: null })));
    expect(answers.slice(50)).to.deep.equal(people.slice(50).map((_, i) => ({ status: 'waitlisted', position: i + 1 })));
    const rows = await registrations(w, id);
    const seqOf = new Map(rows.map((r) => [r.employee_id, r.waitlist_seq]));
    expect(people.slice(50).map((p) => seqOf.get(p))).to.deep.equal(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(rows.filter((r) => r.status === 'registered').map((r) => r.employee_id)).to.have.members(people.slice(0, 50));
    const activity = await w.db('union_activities').where({ id }).first();
    expect([activity.taken, activity.waitlist_seq]).to.deep.equal([50, 150]);
    // One audit row per sign-up, in arrival order, each with its own actor.
    const audit = await w.db('union_audit').where({ action: 'activity.register' }).andWhere('entity_id', 'like', `${id}:%`).orderBy('id');
    expect(audit.map((a) => a.actor)).to.deep.equal(people);
    expect(audit.map((a) => String(a.entity_id).split(':')[1])).to.deep.equal(people);
  });

  it('a storm over HTTP joins the instance’s batches and answers each caller as alone', async () => {
    const { id } = await newActivity(w, { capacity: 30, audience: { kind: 'employed' } });
    const before = signUpQueue(w.plugin.ctx).batches;
    const answers = await Promise.all(
      people.slice(0, 120).map((p) => w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({})),
    );
    expect(signUpQueue(w.plugin.ctx).batches - before).to.be.lessThan(120);
    expect(answers.filter((a) => a.status === 201)).to.have.length(30);
    const positions = answers.filter((a) => a.status === 200).map((a) => a.body.position as number);
    expect(positions.sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 90 }, (_, i) => i + 1));
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(30);
  });

  it('a bad sign-up in the middle of a batch gets its own answer; the others in the batch are written', async () => {
    const { id, options } = await newActivity(w, {
      capacity: 4,
      optionLimit: 1,
      audience: { kind: 'employed' },
      options: [
        { name: '跑步', capacity: 2 },
        { name: '拔河', capacity: null },
      ],
    });
    const [run, tug] = options.map((o) => o.id);
    const [first, already, a, b, c, d, twice] = people;
    const q = new SignUpQueue(w.plugin.ctx);
    await signUp(q, id, already, [tug]);
    // Submitted together: the bad ones share a batch with good ones (the lane may still be closing the
    // batch before, so the first may go alone).
    const settled = await Promise.allSettled([
      signUp(q, id, first, [run]),
      signUp(q, id, a, [run]),
      signUp(q, id, already, [run]), // registered before: 409
      signUp(q, id, 'NOBODY', [tug]), // not employed, outside the audience: 403
      signUp(q, id, b, [9_999_999]), // not an option of this activity: 400
      signUp(q, id, b, [run, tug]), // over the option limit: 400
      signUp(q, id, c, [run]), // 跑步 is full: waitlisted though the activity has a place
      signUp(q, id, twice, [tug]), // takes the last place
      signUp(q, id, twice, [tug]), // the same person again in the same batch: 409
      signUp(q, id, d, [tug]), // the activity is full: waitlisted
      signUp(q, id, b, [tug]), // b's earlier mistakes do not stand in b's way: waitlisted
    ]);
    expect(q.largestBatch).to.be.at.least(10);
    expect(q.failedBatches).to.equal(0);
    expect(settled.map(told)).to.deep.equal([
      { status: 'registered', position: null },
      { status: 'registered', position: null },
      { error: 409 },
      { error: 403 },
      { error: 400 },
      { error: 400 },
      { status: 'waitlisted', position: 1 },
      { status: 'registered', position: null },
      { error: 409 },
      { status: 'waitlisted', position: 2 },
      { status: 'waitlisted', position: 3 },
    ]);
    const rows = await registrations(w, id);
    expect(rows.map((r) => [r.employee_id, r.status, r.option_ids, r.waitlist_seq])).to.have.deep.members([
      [already, 'registered', `[${tug}]`, null],
      [first, 'registered', `[${run}]`, null],
      [a, 'registered', `[${run}]`, null],
      [c, 'waitlisted', `[${run}]`, 1],
      [twice, 'registered', `[${tug}]`, null],
      [d, 'waitlisted', `[${tug}]`, 2],
      [b, 'waitlisted', `[${tug}]`, 3],
    ]);
    const counters = await w.db('union_activity_options').where({ activity_id: id }).orderBy('id').pluck('taken');
    expect(counters).to.deep.equal([2, 2]);
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(4);
  });

  it('someone who cancelled signs up again in a batch and gets their row back; after the deadline only the already registered hear 409', async () => {
    const { id } = await newActivity(w, { capacity: 10, audience: { kind: 'employed' } });
    const [back, first, other, late] = people;
    const q = new SignUpQueue(w.plugin.ctx);
    await signUp(q, id, back);
    await w.api.delete(`/union/api/activities/${id}/registrations/me`).set(as(w, back)).expect(200);
    const again = await Promise.all([signUp(q, id, first), signUp(q, id, other), signUp(q, id, back)]);
    expect([q.largestBatch, q.failedBatches]).to.deep.equal([2, 0]);
    expect(again.map((o) => o.status)).to.deep.equal(['registered', 'registered', 'registered']);
    const rows = await registrations(w, id);
    expect(rows.map((r) => [r.employee_id, r.status])).to.deep.equal([
      [back, 'registered'],
      [first, 'registered'],
      [other, 'registered'],
    ]);

    w.clock.setSystemTime(new Date(Date.parse(WHEN.registrationDeadline) + 1000));
    try {
      const settled = await Promise.allSettled([signUp(q, id, late), signUp(q, id, back), signUp(q, id, late)]);
      expect(settled.map(told)).to.deep.equal([{ error: 422 }, { error: 409 }, { error: 422 }]);
    } finally {
      w.clock.setSystemTime(T0);
    }
  });

  it('a batch whose transaction fails as a whole is retried one by one: only the sign-up at fault fails', async () => {
    const { id } = await newActivity(w, { capacity: 10, audience: { kind: 'employed' } });
    const q = new SignUpQueue(w.plugin.ctx);
    const [p0, p1, p2, p3] = people;
    // An actor id longer than the audit column: the batch's audit insert fails, and with it the batch.
    const settled = await Promise.allSettled([
      signUp(q, id, p0),
      signUp(q, id, p1),
      q.submit(id, { actor: actor('x'.repeat(200)), employeeId: p2 }),
      signUp(q, id, p3),
    ]);
    expect([q.largestBatch, q.failedBatches]).to.deep.equal([3, 1]);
    expect(settled.map((s) => s.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rows = await registrations(w, id);
    expect(rows.map((r) => r.employee_id)).to.deep.equal([p0, p1, p3]);
    expect((await w.db('union_activities').where({ id }).first()).taken).to.equal(3);
  });
});

describe('activities: sign-ups in batches on two instances of the module on one database', function () {
  this.timeout(120_000);
  let w: World;
  let people: string[];
  before(async () => {
    w = await makeWorld({ employees: 260 });
    people = await employed(w, 200);
  });
  after(async () => w.close());

  it('each instance batches its own; together they never overbook the activity or an option, and the waitlist has no gap', async () => {
    const other = await createHostApp({ db: w.db, logger: w.logger, env: {}, secret: DEV_SECRET });
    try {
      const b = supertest(other.app);
      const pluginB = (other.plugins.instance('union') ?? (await other.plugins.list(), other.plugins.instance('union'))) as UnionPlugin;
      const { id, options } = await newActivity(w, {
        capacity: 60,
        optionLimit: 1,
        audience: { kind: 'employed' },
        options: [
          { name: '跑步', capacity: 10 },
          { name: '拔河', capacity: null },
        ],
      });
      const [run, tug] = options.map((o) => o.id);
      const [qa, qb] = [signUpQueue(w.plugin.ctx), signUpQueue(pluginB.ctx)];
      const [a0, b0] = [qa.signUps, qb.signUps];
      const answers = await Promise.all(
        people.map((p, i) =>
          (i % 2 ? b : w.api)
            .post(`/union/api/activities/${id}/registrations`)
            .set(as(w, p))
            .send({ options: [i % 3 ? tug : run] }),
        ),
      );
      expect([qa.signUps - a0, qb.signUps - b0]).to.deep.equal([100, 100]);
      expect(Math.max(qa.largestBatch, qb.largestBatch)).to.be.greaterThan(1);

      expect(answers.filter((a) => a.status === 201)).to.have.length(60);
      const positions = answers.filter((a) => a.status === 200).map((a) => a.body.position as number);
      expect(positions.sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 140 }, (_, i) => i + 1));
      const rows = await registrations(w, id);
      const registered = rows.filter((r) => r.status === 'registered');
      expect(registered).to.have.length(60);
      expect(registered.filter((r) => r.option_ids === `[${run}]`)).to.have.length(10);
      const seqs = rows
        .filter((r) => r.status === 'waitlisted')
        .map((r) => r.waitlist_seq as number)
        .sort((x, y) => x - y);
      expect(seqs).to.deep.equal(Array.from({ length: 140 }, (_, i) => i + 1));
      const activity = await w.db('union_activities').where({ id }).first();
      expect([activity.taken, activity.waitlist_seq]).to.deep.equal([60, 140]);
      expect(await w.db('union_activity_options').where({ activity_id: id }).orderBy('id').pluck('taken')).to.deep.equal([10, 50]);
    } finally {
      await other.close();
    }
  });
});
