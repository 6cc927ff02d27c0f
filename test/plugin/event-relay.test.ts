import { expect } from 'chai';
import sinon from 'sinon';
import { Webhook } from 'standardwebhooks';
import type { Knex } from 'knex';
import type { HostEvent } from '../../plugin/host';
import { checkAreas } from '../../plugin/areas/check';
import { AREAS } from '../../plugin/areas';
import { loadManifest } from '../../plugin/manifest';
import { eventQueue } from '../../plugin/sync/event-queue';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';
import { as, newActivity, registrations } from '../helpers/activities';

const secret = 'whsec_' + Buffer.from('a-very-secret-key-for-tests-0123').toString('base64');
let seq = 0;

function post(w: World, event: HostEvent) {
  const payload = JSON.stringify(event);
  const at = new Date();
  return w.api
    .post('/union/hooks/employee-events')
    .set({
      'webhook-id': event.id!,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(event.id!, at, payload),
      'content-type': 'application/json',
    })
    .send(payload);
}

const exit = (employeeId: string): HostEvent => ({
  id: `evt_relay_${++seq}`,
  type: 'employee.exited',
  timestamp: '2026-11-23T01:00:00Z',
  data: { employeeId, exitDate: TODAY, reason: 'resigned' },
});
const transfer = (employeeId: string, departmentId: string): HostEvent => ({
  id: `evt_relay_${++seq}`,
  type: 'employee.transferred',
  timestamp: '2026-11-23T01:00:00Z',
  data: { employeeId, departmentId },
});

/** Counts the statements the module sends that match `pattern` while `during` runs. */
async function statements(db: Knex, pattern: RegExp, during: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const seen = (q: { sql: string }) => void (pattern.test(q.sql) && n++);
  db.on('query', seen);
  try {
    await during();
  } finally {
    db.off('query', seen);
  }
  return n;
}

/**
 * Webhook deliveries that commit together reach the other areas together: care, activities and
 * grievances each handle a batch in one go (their batch handlers), with an audit row per event.
 */
describe('webhook batches relayed to the other areas', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ employees: 40, env: { UNION_WEBHOOK_SECRET: secret } })));
  afterEach(async () => w.close());

  it('a burst of exits and transfers: places freed, cases moved, care profiles refreshed once per batch, an audit per event', async () => {
    const people: string[] = await w.db('host_employees').where({ status: 'employed' }).orderBy('id').limit(16).pluck('id');
    const [placeHolder, nextInLine, caseHolder, colleague, ...movers] = people;
    // An activity with one place: the first holds it, the second waits.
    const { id: activityId } = await newActivity(w, { capacity: 1, audience: { kind: 'employed' } });
    for (const p of [placeHolder, nextInLine])
      expect((await w.api.post(`/union/api/activities/${activityId}/registrations`).set(as(w, p)).send({})).status).to.be.oneOf([200, 201]);
    // Grievances of a category whose staff are the case holder and a colleague.
    await w.api
      .put('/union/api/grievance-categories/wages_benefits')
      .set(bearer(w.token('u_chair', ['employee', 'union_chair'])))
      .send({ staffIds: [caseHolder, colleague] })
      .expect(200);
    const cases: number[] = [];
    for (let i = 0; i < 4; i++)
      cases.push(
        (
          await w.api
            .post('/union/api/grievances')
            .set(bearer(w.token('u_emp')))
            .send({ category: 'wages_benefits', content: `工资 ${i}` })
            .expect(201)
        ).body.id,
      );
    await w.db('union_grievances').whereIn('id', cases).update({ assignee_id: caseHolder });

    // HR records the changes, then tells the module by webhook only.
    await w.db('host_employees').whereIn('id', [placeHolder, caseHolder]).update({ status: 'exited', exit_date: TODAY });
    await w.db('host_employees').whereIn('id', movers).update({ shift_worker: true, department_id: 'D02' });
    const events = [exit(placeHolder), exit(caseHolder), ...movers.map((m) => transfer(m, 'D02'))];
    const queue = eventQueue(w.plugin.ctx);
    const batchesBefore = queue.batches;
    const roundsBefore = queue.relays;

    let answers: Array<{ status: number; body: { outcome: string } }> = [];
    const upserts = await statements(w.db, /^insert into `union_care_profiles`/i, async () => {
      answers = await Promise.all(events.map((e) => post(w, e)));
    });
    expect(answers.map((a) => a.status)).to.deep.equal(events.map(() => 200));
    expect(answers.filter((a) => a.body.outcome === 'duplicate')).to.deep.equal([]);
    const batches = queue.batches - batchesBefore;
    expect(batches).to.be.lessThan(events.length);
    // Care's profiles: one statement per after-commit round (a round takes every batch committed since the last), not one per event.
    const rounds = queue.relays - roundsBefore;
    expect(rounds).to.be.within(1, batches);
    expect(upserts).to.equal(rounds);

    // Activities: the leaver's place went to the next in line.
    const regs = await registrations(w, activityId);
    expect(regs.find((r) => r.employee_id === placeHolder)).to.include({ status: 'cancelled', cancel_reason: 'exited' });
    expect(regs.find((r) => r.employee_id === nextInLine)!.status).to.equal('registered');
    expect(w.notify.calledWithMatch({ to: [nextInLine], template: 'union.activity.promoted' })).to.equal(true);
    // Released under the exit event's name.
    const releasedBy = await w
      .db('union_audit')
      .where({ action: 'activity.release_on_exit', entity_id: String(activityId) })
      .pluck('actor');
    expect(releasedBy).to.deep.equal([`event:${events[0].id}`]);

    // Grievances: the leaver's open cases went to the colleague, under the exit event's name.
    expect(await w.db('union_grievances').whereIn('id', cases).pluck('assignee_id')).to.deep.equal(cases.map(() => colleague));
    const moved = await w
      .db('union_audit')
      .where({ entity: 'grievance' })
      .whereIn('entity_id', cases.map(String))
      .where('actor', `event:${events[1].id}`);
    expect(moved.length).to.be.at.least(cases.length);

    // Care: the movers are shift workers now, the leavers are no longer employed; one audit row per event.
    const profiles = await w
      .db('union_care_profiles')
      .whereIn('employee_id', [...movers, placeHolder, caseHolder])
      .orderBy('employee_id');
    for (const p of profiles) {
      if (movers.includes(p.employee_id)) expect(!!Number(p.shift_worker), p.employee_id).to.equal(true);
      else expect(!!Number(p.employed), p.employee_id).to.equal(false);
    }
    const audits = await w.db('union_audit').where({ action: 'care.profile.refreshed' }).select('actor', 'entity_id');
    expect(audits.map((a) => `${a.actor}>${a.entity_id}`).sort()).to.deep.equal(
      events.map((e) => `event:${e.id}>${e.data.employeeId}`).sort(),
    );

    // The same deliveries again: duplicates, relayed to nobody.
    const again = await statements(w.db, /^insert into `union_care_profiles`/i, () => Promise.all(events.map((e) => post(w, e))));
    expect(again).to.equal(0);
    expect(await w.db('union_audit').where({ action: 'care.profile.refreshed' }).count({ n: '*' }).first()).to.deep.equal({
      n: events.length,
    });
  });

  it('an area that fails on a batch is logged; the deliveries are still answered and applied', async () => {
    const people: string[] = await w.db('host_employees').where({ status: 'employed' }).orderBy('id').limit(3).pluck('id');
    await w.db('host_employees').whereIn('id', people).update({ status: 'exited', exit_date: TODAY });
    // The host's directory fails while the relay reads it (the membership batch itself reads nothing for exits).
    const getMany = sinon.stub(w.host.host.employees, 'getMany').rejects(new Error('directory down'));
    try {
      const answers = await Promise.all(people.map((p) => post(w, exit(p))));
      expect(answers.map((a) => [a.status, a.body.outcome])).to.deep.equal(people.map(() => [200, 'applied']));
    } finally {
      getMany.restore();
    }
    expect(await w.db('union_employees').whereIn('employee_id', people).pluck('status')).to.deep.equal(people.map(() => 'exited'));
    const failed = w.logger.entries.filter((e) => e.level === 'error' && /could not be relayed/.test(e.msg ?? ''));
    expect(failed.map((e) => (e.obj as { area: string }).area)).to.include('care');
    expect(await w.db('union_audit').where({ action: 'care.profile.refreshed' }).first()).to.equal(undefined);
  });
});

describe('areas: batch handlers', () => {
  it('a batch handler without a single-event handler of the same name is refused', () => {
    const care = AREAS.find((a) => a.id === 'care')!;
    const broken = { ...care, hostEventBatches: { ...care.hostEventBatches, onSomethingElse: async () => undefined } };
    expect(() => checkAreas(loadManifest(), [...AREAS.filter((a) => a !== care), broken])).to.throw(/hostEventBatches\.onSomethingElse/);
  });
});
