import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Preparing a session: delegates by election result, their composition against the union's rules, the matters list. */
describe('congress preparation: delegates, composition, matters, the chair page', function () {
  this.timeout(60_000);
  let w: World;
  let people: string[] = [];
  before(async () => {
    w = await makeWorld({ employees: 40 });
    people = (await w
      .db('host_employees')
      .where({ status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .limit(10)
      .pluck('id')) as string[];
  });
  after(async () => w.close());

  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));

  it('staff enter election results; composition warns (never blocks) against the rules; the list freezes once voting starts', async () => {
    const id = (
      await w.api
        .post('/union/api/congress/sessions')
        .set(chair())
        .send({ title: '第六届职代会', delegates: [], womenMinPct: 100, frontLineMinPct: 0 })
        .expect(201)
    ).body.id;
    const five = people.slice(0, 5);
    await w.api
      .post(`/union/api/congress/sessions/${id}/delegates`)
      .set(staff())
      .send({
        delegates: five.map((employeeId, i) => ({
          employeeId,
          votesReceived: 100 - i,
          electedOn: '2026-11-20',
          category: i < 2 ? 'manager' : 'front_line',
        })),
      })
      .expect(200, { total: 5 });
    await w.api
      .post(`/union/api/congress/sessions/${id}/delegates`)
      .set(bearer(w.token('u_emp')))
      .send({ delegates: [{ employeeId: people[6] }] })
      .expect(403);

    const comp = (await w.api.get(`/union/api/congress/sessions/${id}/composition`).set(staff()).expect(200)).body;
    expect(comp.count).to.include({ total: 5, managers: 2, frontLine: 3 });
    // Two managers of five is 40%, over the default 20%; women must be all (100%) here, so any man warns.
    const rules = comp.warnings.map((x: { rule: string }) => x.rule);
    expect(rules).to.include('managerMax');
    expect(rules).not.to.include('frontLineMin');
    expect(comp.groups.flatMap((g: { delegates: unknown[] }) => g.delegates)).to.have.length(5);
    const female = (await w.db('host_employees').whereIn('id', five).where({ gender: 'F' }).count({ n: '*' }).first()) as { n: number };
    expect(comp.count.women).to.equal(Number(female.n));

    const html = (await w.api.get(`/union/congress/manage?session=${id}`).set(chair()).expect(200)).text;
    expect(html).to.contain('管理人员占 40%，超过 20% 的上限');

    await w.api.post(`/union/api/congress/sessions/${id}/attendance`).set(chair()).send({ present: five }).expect(200);
    await w.api.post(`/union/api/congress/sessions/${id}/votes`).set(chair()).send({ subject: '选举提案委员会', secret: true }).expect(201);
    const frozen = await w.api
      .post(`/union/api/congress/sessions/${id}/delegates`)
      .set(staff())
      .send({ delegates: [{ employeeId: people[7] }] })
      .expect(409);
    expect(frozen.body.error.details[0].path).to.equal('delegates');
  });

  it('matters in three kinds with preparation steps in order; a late step is flagged', async () => {
    w.clock.setSystemTime(new Date('2026-11-23T02:00:00.000Z'));
    const bad = await w.api
      .post('/union/api/congress/matters')
      .set(staff())
      .send({ kind: 'approve', topic: 'pay', title: '薪酬分配方案', steps: { collect_views: '2026-11-30', explain: '2026-11-25' } })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.steps.explain');
    await w.api.post('/union/api/congress/matters').set(staff()).send({ kind: 'publish', topic: 'pay', title: 'x' }).expect(400);
    const id = (
      await w.api
        .post('/union/api/congress/matters')
        .set(staff())
        .send({
          kind: 'approve',
          topic: 'pay',
          title: '薪酬分配方案',
          steps: { collect_views: '2026-11-20', explain: '2026-11-25', prepare_vote: '2026-12-01' },
        })
        .expect(201)
    ).body.id;
    await w.api.post(`/union/api/congress/matters/${id}/steps`).set(staff()).send({ step: 'explain' }).expect(204);
    const m = (await w.api.get('/union/api/congress/matters').set(staff()).expect(200)).body.items.find((x: { id: number }) => x.id === id);
    expect(m.kind).to.equal('approve');
    expect(m.steps).to.deep.equal([
      { step: 'collect_views', due: '2026-11-20', done: null, late: true },
      { step: 'explain', due: '2026-11-25', done: '2026-11-23', late: false },
      { step: 'pre_review', due: null, done: null, late: false },
      { step: 'prepare_vote', due: '2026-12-01', done: null, late: false },
    ]);
    await w.api
      .get('/union/api/congress/matters')
      .set(bearer(w.token('u_emp')))
      .expect(403);
  });
});
