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

  it('the export carries the same figures as the page and the API: total, orgs, departments with non-members, twelve months', async () => {
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    const c = (await w.api.get('/union/api/stats/coverage').set(chair)).body;
    const csv = await w.api.get('/union/api/stats/coverage/export?format=csv').set(chair).expect(200);
    expect(csv.headers['content-type']).to.contain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0]).to.deep.equal(['类别', '名称', '在职人数', '会员人数', '未入会人数', '覆盖率', '统计日期']);
    expect(lines[1]).to.deep.equal([
      '合计',
      '全体覆盖率',
      String(c.employed),
      String(c.members),
      String(c.employed - c.members),
      `${(c.rate * 100).toFixed(1)}%`,
      c.asOf,
    ]);
    const depts = lines.filter((l) => l[0] === '部门');
    expect(depts).to.have.length(c.byDepartment.length);
    const first = c.byDepartment[0];
    expect(depts[0]).to.deep.equal([
      '部门',
      first.name,
      String(first.employed),
      String(first.members),
      String(first.employed - first.members),
      `${(first.rate * 100).toFixed(1)}%`,
      c.asOf,
    ]);
    expect(lines.filter((l) => l[0] === '工会组织')).to.have.length(c.byOrg.length);
    const months = lines.filter((l) => l[0] === '月度趋势');
    expect(months).to.have.length(12);
    expect(months[11].slice(1, 4)).to.deep.equal(['2026-11', String(c.employed), String(c.members)]);

    const xlsx = await w.api
      .get('/union/api/stats/coverage/export')
      .set(chair)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).to.equal('PK');
    await w.api.get('/union/api/stats/coverage/export?format=pdf').set(chair).expect(400);
    await w.api
      .get('/union/api/stats/coverage/export')
      .set(bearer(w.token('u_emp', ['employee'])))
      .expect(403);

    const page = await w.api.get('/union/coverage').set(chair).expect(200);
    expect(page.text).to.include(
      `共 ${c.byDepartment.length} 个部门：在职 ${c.employed} 人，会员 ${c.members} 人，未入会 ${c.employed - c.members} 人`,
    );
  });
});
