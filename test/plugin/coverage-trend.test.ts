import { expect } from 'chai';
import { seedUnionDemo } from '../../examples/host/seed-union';
import { coverageTrend } from '../../plugin/services/coverage-trend';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Coverage over the last 12 months, from membership dates, drawn as server-side SVG (no script under the CSP). */
describe('coverage trend', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ employees: 200 });
    await seedUnionDemo(w.db, w.plugin);
  });
  after(async () => w.close());

  it('counts members and employed people at each month end; the last month agrees with today', async () => {
    const trend = await coverageTrend(w.plugin.ctx);
    expect(trend).to.have.length(12);
    expect(trend[11].month).to.equal('2026-11');
    const members = await w.db('union_memberships').where({ status: 'active' }).count({ n: '*' }).first();
    expect(trend[11].members).to.equal(Number(members!.n));
    const c = (await w.api.get('/union/api/stats/coverage').set(bearer(w.token('u_chair', ['employee', 'union_chair'])))).body;
    expect(trend[11].rate).to.be.closeTo(c.rate, 0.001);
  });

  it('the coverage page carries the chart as inline SVG', async () => {
    const page = await w.api
      .get('/union/coverage')
      .set(bearer(w.token('u_chair', ['employee', 'union_chair'])))
      .expect(200);
    const chart = /data-testid="coverage-trend">([\s\S]*?)<\/div>/.exec(page.text)![1];
    expect(chart)
      .to.match(/^<svg[^>]+viewBox="0 0 640 260"/)
      .and.include('会员人数')
      .and.include('覆盖率');
    expect(chart).to.not.include('<script');
  });

  it('a department row opens its non-members in 批量邀请 with the count', async () => {
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    const c = (await w.api.get('/union/api/stats/coverage').set(chair)).body;
    const d01 = c.byDepartment.find((d: { departmentId: string }) => d.departmentId === 'D01');
    const page = await w.api.get('/union/coverage').set(chair).expect(200);
    expect(page.text).to.include(
      `href="/union/invitations?departmentId=D01" data-testid="invite-D01">邀请未入会的 ${d01.employed - d01.members} 人`,
    );
    const list = await w.api.get('/union/invitations?departmentId=D01').set(chair).expect(200);
    expect(list.text).to.include(`共 ${d01.employed - d01.members} 人`);
  });
});
