import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
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
      expect(
        body.todos.every(
          (t: { kind: string; count: number; href: string }) => t.kind && Number.isInteger(t.count) && t.href.startsWith('/union/'),
        ),
      ).to.equal(true);
      for (const key of [
        'coverage',
        'participation',
        'activitySatisfaction',
        'grievanceResolution',
        'grievanceOnTime',
        'grievanceSatisfaction',
      ]) {
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
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
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

  // Reads a download as bytes (supertest would otherwise try to parse it as text).
  const binary = (r: import('supertest').Response, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    (r as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
    (r as unknown as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(chunks)));
  };

  it('the report for management: the chair gets the year as an A4 PDF with the CJK font embedded, and as xlsx with the desk figures', async () => {
    await w.api.get('/union/api/reports/2026.pdf').set(staff(w)).expect(403);
    await w.api.get('/union/api/reports/2026-13.pdf').set(chair(w)).expect(400);
    const pdf = await w.api.get('/union/api/reports/2026.pdf').set(chair(w)).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).to.match(/^application\/pdf/);
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).to.equal('%PDF-');
    const text = bytes.toString('latin1');
    expect(text).to.match(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/); // A4
    expect(text)
      .to.contain('NotoSansHans')
      .and.match(/\/FontFile3?/);
    // Kept for people to look at (test-artifacts/ is not committed): pdftoppm turns it into pages.
    fs.mkdirSync(path.join('test-artifacts', 'desk'), { recursive: true });
    fs.writeFileSync(path.join('test-artifacts', 'desk', 'report-2026.pdf'), bytes);

    const xlsx = await w.api.get('/union/api/reports/2026.xlsx').set(chair(w)).buffer(true).parse(binary).expect(200);
    expect(xlsx.headers['content-type']).to.contain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('主要指标')!;
    const rows = new Map<string, unknown>();
    sheet.eachRow((r) => rows.set(String(r.getCell(1).value), r.getCell(2).value));
    const { body } = await w.api.get('/union/api/dashboard').set(chair(w)).expect(200);
    expect(rows.get('会员覆盖率')).to.equal(kpi(body, 'coverage').value);
    expect(rows.get('诉求解决率')).to.equal(kpi(body, 'grievanceResolution').value);
    expect(wb.getWorksheet('月度趋势')!.rowCount).to.equal(13);
    // The second ask is served from the kept report, not generated again.
    expect(await w.db('union_desk_reports').where({ period: '2026', status: 'done' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
  });

  it('a report generated in the background shows its progress, is kept, and downloads later', async () => {
    const started = await w.api.post('/union/api/reports').set(chair(w)).send({ period: '2026-Q3' }).expect(202);
    expect(started.body).to.include({ period: '2026-Q3' });
    await w.api.post('/union/api/reports').set(chair(w)).send({ period: '2026-Q5' }).expect(400);
    let row = started.body;
    for (let i = 0; i < 100 && row.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = (await w.api.get(`/union/api/reports/${started.body.id}`).set(chair(w)).expect(200)).body;
      expect(row.progress).to.be.within(0, 100);
    }
    expect(row).to.include({ status: 'done', progress: 100 });
    const list = (await w.api.get('/union/api/reports').set(chair(w)).expect(200)).body.items;
    expect(list.map((r: { period: string }) => r.period)).to.include('2026-Q3');
    const file = await w.api.get(`/union/api/reports/${row.id}/file?format=pdf`).set(chair(w)).buffer(true).parse(binary).expect(200);
    expect((file.body as Buffer).subarray(0, 5).toString()).to.equal('%PDF-');
    // Another scope's report is not theirs: the branch chair-to-be gets 403 without the permission anyway.
    await w.api.get(`/union/api/reports/${row.id}`).set(staff(w)).expect(403);
    const page = await w.api.get('/union/desk/reports').set(chair(w)).expect(200);
    expect(page.text).to.contain('2026 年第 3 季度').and.contain(`/union/api/reports/${row.id}/file?format=pdf`);
    await w.api.get('/union/desk/reports').set(staff(w)).expect(403);
  });
});
