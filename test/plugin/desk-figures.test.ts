import { expect } from 'chai';
import { makeWorld, type World } from '../helpers/harness';
import { as, at10, chair, hire, makeBranch, staff, workMonth } from '../helpers/desk';

type Kpi = { key: string; value: number | null; previous: number | null; asOf: string };
const kpi = (body: { kpis: Kpi[] }, key: string) => {
  const k = body.kpis.find((x) => x.key === key);
  if (!k) throw new Error(`no kpi ${key} in ${body.kpis.map((x) => x.key).join(',')}`);
  return k;
};

/**
 * A year of union work on a faked clock (an activity, two grievances and the welfare payments each month,
 * January to November 2026), then the desk read as the chair, as root staff and as a branch's staff:
 * every figure must be the figure its area's own API gives.
 */
describe('desk: every figure equals its area figure, across a year of generated work', function () {
  this.timeout(180_000);
  let w: World;
  const root: string[] = [];
  const branch: string[] = [];
  let branchStaff: string;
  let planId: number;

  before(async () => {
    w = await makeWorld({ employees: 40, now: at10('2026-01-05') });
    await makeBranch(w);
    for (let i = 0; i < 4; i++) root.push(await hire(w, 'D01', '2026-01-05'));
    for (let i = 0; i < 4; i++) branch.push(await hire(w, 'D05', '2026-01-05'));
    branchStaff = await hire(w, 'D05', '2026-01-05', '分会干事');
    await w.db('host_user_roles').insert({ user_id: branchStaff, role: 'union_staff' });
    const plan = await w.api
      .post('/union/api/welfare/plans')
      .set(staff(w))
      .send({ name: '交通补贴', amount: 100, cycle: 'monthly', startsOn: '2026-01-01', audience: 'all_members' })
      .expect(201);
    planId = plan.body.id;
    for (let m = 1; m <= 11; m++) await workMonth(w, m, [...root, ...branch], planId);
    w.clock.setSystemTime(at10('2026-11-23'));
  });
  after(async () => w.close());

  it('an employee gets 403; staff and the chair get to-dos and figures, each saying as of when', async () => {
    await w.api.get('/union/api/dashboard').set(as(w, root[0])).expect(403);
    await w.api.get('/union/desk').set(as(w, root[0])).expect(403);
    for (const who of [staff(w), chair(w)]) {
      const { body } = await w.api.get('/union/api/dashboard').set(who).expect(200);
      expect(body.todos.every((t: { kind: string; count: number; href: string }) => t.kind && Number.isInteger(t.count) && t.href.startsWith('/union/'))).to.equal(true);
      for (const key of ['coverage', 'participation', 'activitySatisfaction', 'grievanceResolution', 'grievanceOnTime', 'grievanceSatisfaction']) {
        expect(kpi(body, key)).to.include({ asOf: '2026-11-23' });
        expect(kpi(body, key)).to.have.property('previous');
      }
    }
  });

  it("the chair's figures for 2026 are the areas' own: coverage, participation, satisfaction, grievance rates, welfare", async () => {
    const { body } = await w.api.get('/union/api/dashboard').set(chair(w)).expect(200);
    const coverage = (await w.api.get('/union/api/stats/coverage').set(chair(w)).expect(200)).body;
    expect(kpi(body, 'coverage').value).to.equal(coverage.rate).and.to.be.greaterThan(0);

    const part = (await w.api.get('/union/api/activities-participation?year=2026').set(chair(w)).expect(200)).body;
    expect(kpi(body, 'participation').value).to.equal(part.participationRate).and.to.be.greaterThan(0);
    expect(kpi(body, 'participationThreeOrMore').value).to.equal(part.shareThreeOrMore);
    expect(kpi(body, 'participationNone').value).to.equal(part.shareNone);
    expect(kpi(body, 'activitySatisfaction').value).to.equal(part.averageScore).and.to.be.within(3, 5);
    const before = (await w.api.get('/union/api/activities-participation?year=2025').set(chair(w)).expect(200)).body;
    expect(kpi(body, 'participation').previous).to.equal(before.participationRate);

    const g = (await w.api.get('/union/api/stats/grievances?from=2026-01-01&to=2026-12-31').set(chair(w)).expect(200)).body;
    expect(g.total).to.equal(22);
    expect(kpi(body, 'grievanceResolution').value).to.equal(g.resolutionRate);
    expect(kpi(body, 'grievanceOnTime').value).to.equal(g.onTimeRate);
    expect(kpi(body, 'grievanceSatisfaction').value).to.equal(g.satisfactionRate);
    expect(kpi(body, 'grievanceHandlingDays').value).to.equal(g.averageHandlingDays);
    // No grievance in 2025: no previous figure rather than a made-up 0.
    expect(kpi(body, 'grievanceResolution').previous).to.equal(null);

    // Welfare: last month's unpaid people are the gap report's missing list.
    const gaps = (await w.api.get(`/union/api/welfare/gaps?planId=${planId}&period=2026-10`).set(chair(w)).expect(200)).body;
    const todo = body.todos.find((t: { kind: string }) => t.kind === 'welfareGaps');
    expect(todo.count).to.equal(gaps.missing.length);
  });

  it('a month reads that month: grievances of 2026-10 as the statistics page filters them, and September beside them', async () => {
    const { body } = await w.api.get('/union/api/dashboard?period=2026-10').set(chair(w)).expect(200);
    const oct = (await w.api.get('/union/api/stats/grievances?from=2026-10-01&to=2026-10-31').set(chair(w)).expect(200)).body;
    const sep = (await w.api.get('/union/api/stats/grievances?from=2026-09-01&to=2026-09-30').set(chair(w)).expect(200)).body;
    expect(kpi(body, 'grievanceResolution')).to.include({ value: oct.resolutionRate, previous: sep.resolutionRate, asOf: '2026-10-31' });
    expect(oct.resolutionRate).to.not.equal(sep.resolutionRate); // odd months leave a case open: the test can tell them apart
    await w.api.get('/union/api/dashboard?period=2026-13').set(chair(w)).expect(400);
  });

  it("a branch's staff see their branch only: coverage as their coverage page, participation of their org", async () => {
    const mine = (await w.api.get('/union/api/dashboard').set(as(w, branchStaff)).expect(200)).body;
    const cov = (await w.api.get('/union/api/stats/coverage').set(as(w, branchStaff)).expect(200)).body;
    const all = (await w.api.get('/union/api/stats/coverage').set(chair(w)).expect(200)).body;
    expect(kpi(mine, 'coverage').value).to.equal(cov.rate);
    expect(cov.employed).to.be.lessThan(all.employed);
    const part = (await w.api.get('/union/api/activities-participation?year=2026').set(chair(w)).expect(200)).body;
    const org = part.byOrg.find((o: { name: string }) => o.name === '销售分会');
    expect(kpi(mine, 'participation').value).to.equal(org.participationRate);
    expect(org.members).to.equal(branch.length + 1);
  });

  it('a figure opens twelve months and its breakdown; the page draws the trend on the server', async () => {
    const { body } = await w.api.get('/union/api/dashboard/kpis/grievanceResolution').set(chair(w)).expect(200);
    expect(body.trend.map((p: { month: string }) => p.month)).to.deep.equal([
      '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12',
    ]);
    const g = (await w.api.get('/union/api/stats/grievances?from=2026-03-01&to=2026-03-31').set(chair(w)).expect(200)).body;
    expect(body.trend[2].value).to.equal(g.resolutionRate);
    expect(body.breakdown.byDepartment.map((d: { name: string }) => d.name).length).to.be.greaterThan(0);
    const cov = (await w.api.get('/union/api/dashboard/kpis/coverage').set(chair(w)).expect(200)).body;
    expect(cov.breakdown.byOrg.map((o: { name: string }) => o.name)).to.include('销售分会');
    await w.api.get('/union/api/dashboard/kpis/nothing').set(chair(w)).expect(404);
    const page = await w.api.get('/union/desk/kpis/coverage').set(chair(w)).expect(200);
    expect(page.text).to.contain('data-testid="kpi-trend"').and.contain('<svg').and.contain('销售分会');
  });
});
