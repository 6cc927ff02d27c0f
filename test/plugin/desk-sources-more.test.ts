import ExcelJS from 'exceljs';
import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';
import { as, at10, chair, hire, makeBranch, staff } from '../helpers/desk';

type Todo = { kind: string; count: number; href: string };
type Kpi = { key: string; value: number | null; previous: number | null };
type Caller = ReturnType<typeof bearer>;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const CONTRACT = {
  kind: 'collective',
  title: '2024—2026 年度集体合同',
  startsOn: '2024-01-01',
  endsOn: '2026-12-31',
  signedOn: '2023-12-20',
  filedOn: '2023-12-25',
  clauses: [
    { kind: 'wage_increase', text: '职工年度工资增长不低于 5%', target: '≥5%', dataRequired: '年度工资总额与人数', dataDueDays: 5 },
    { kind: 'heat_allowance', text: '6 至 9 月发放高温津贴', dataRequired: '高温津贴发放表', dataDueDays: 10 },
    { kind: 'paid_leave', text: '职工享受带薪年休假', dataRequired: '年休假台账', dataDueDays: 5 },
  ],
};

/**
 * The desk's providers for the workers' congress, hardship assistance and collective contracts: each to-do
 * appears when the work falls due and goes when it is done, only for people who may do it, and every
 * count equals what the area's own API says.
 */
describe('desk: congress, assistance and contracts to-dos and figures', function () {
  this.timeout(180_000);
  let w: World;
  let branchStaff: string;
  before(async () => {
    w = await makeWorld({ employees: 40, settings: { assistance: { handlerIds: ['u_staff'] } } });
    await makeBranch(w);
    branchStaff = await hire(w, 'D05', '2026-11-23', '分会干事');
    await w.db('host_user_roles').insert({ user_id: branchStaff, role: 'union_staff' });
  });
  after(async () => w.close());

  const todos = async (who: Caller): Promise<Record<string, number>> => {
    const { body } = await w.api.get('/union/api/dashboard').set(who).expect(200);
    return Object.fromEntries((body.todos as Todo[]).map((t) => [t.kind, t.count]));
  };
  const branch = () => bearer(w.token(branchStaff, ['employee', 'union_staff']));
  const on = (date: string) => w.clock.setSystemTime(at10(date));

  it('an employee gets 403 on the desk', async () => {
    await w.api.get('/union/api/dashboard').set(as(w, 'u_emp')).expect(403);
  });

  describe('congress', () => {
    let d: string[];
    let answerer: string;
    let sessionId: number;
    let motionId: number;
    const post = (path: string, who: Caller, body: object = {}) => w.api.post(`/union/api/congress/${path}`).set(who).send(body);
    /** The motions list's own view: assigned and due before today. */
    const apiOverdue = async (today: string) =>
      (await w.api.get(`/union/api/congress/sessions/${sessionId}/motions`).set(chair(w)).expect(200)).body.items.filter(
        (m: { status: string; dueDate: string | null }) => m.status === 'assigned' && m.dueDate! < today,
      ).length;
    const apiOpenVotes = async () =>
      (await w.api.get(`/union/api/congress/sessions/${sessionId}`).set(chair(w)).expect(200)).body.votes.filter(
        (v: { status: string }) => v.status === 'open',
      ).length;

    before(async () => {
      const ids = (await w
        .db('host_employees')
        .where({ status: 'employed' })
        .where('id', 'like', 'E%')
        .orderBy('id')
        .limit(6)
        .pluck('id')) as string[];
      d = ids.slice(0, 4);
      answerer = ids[5];
    });

    it('a motion past its answer deadline waits for the chair and the staff until it is answered', async () => {
      on('2026-12-01');
      sessionId = (await post('sessions', chair(w), { title: '第五届第四次职代会', delegates: d }).expect(201)).body.id;
      motionId = (
        await post(`sessions/${sessionId}/motions`, as(w, d[0]), { title: '增设母婴室', content: '建议在二号楼增设母婴室' }).expect(201)
      ).body.id;
      await post(`motions/${motionId}/accept`, chair(w)).expect(200);
      const lead = (await w.db('host_employees').where({ id: answerer }).first('department_id')).department_id as string;
      // Tuesday 1 December plus three working days: due at the end of Friday 4 December.
      await post(`motions/${motionId}/assign`, chair(w), { leadDepartmentId: lead, answererId: answerer, days: 3 }).expect(200);
      expect(await todos(chair(w))).to.include({ motionsOverdue: 0 });

      on('2026-12-04');
      expect(await todos(chair(w))).to.include({ motionsOverdue: 0 });
      on('2026-12-07');
      const chairSees = await todos(chair(w));
      expect(chairSees.motionsOverdue)
        .to.equal(1)
        .and.equal(await apiOverdue('2026-12-07'));
      // Staff record answers given on paper, so they may act on every overdue motion.
      expect(await todos(staff(w))).to.include({ motionsOverdue: 1 });
      // The answerer answers: gone for everyone.
      await post(`motions/${motionId}/answer`, as(w, answerer), { answer: '已在二号楼三层设置母婴室' }).expect(200);
      expect(await todos(chair(w))).to.include({ motionsOverdue: 0 });
      expect(await todos(staff(w))).to.include({ motionsOverdue: 0 });
      expect(await apiOverdue('2026-12-07')).to.equal(0);
      await post(`motions/${motionId}/rate`, as(w, d[0]), { rating: 'satisfied' }).expect(200);
    });

    it('a vote left open waits for the chair (who closes it), not for the staff, and goes once closed', async () => {
      on('2026-12-07');
      await post(`sessions/${sessionId}/attendance`, chair(w), { present: d }).expect(200);
      const vote = (await post(`sessions/${sessionId}/votes`, chair(w), { subject: '关于职工休息休假办法的决议' }).expect(201)).body.id;
      expect((await todos(chair(w))).votesOpen)
        .to.equal(1)
        .and.equal(await apiOpenVotes());
      expect(await todos(staff(w))).not.to.have.property('votesOpen');
      for (const who of d.slice(0, 3)) await post(`votes/${vote}/ballots`, as(w, who), { choice: 'for' }).expect(201);
      await post(`votes/${vote}/close`, chair(w)).expect(200);
      expect(await todos(chair(w))).to.include({ votesOpen: 0 });
      expect(await apiOpenVotes()).to.equal(0);
      // A second vote, closed with too few for: it fails.
      const other = (await post(`sessions/${sessionId}/votes`, chair(w), { subject: '关于调整班车线路的决议' }).expect(201)).body.id;
      await post(`votes/${other}/ballots`, as(w, d[0]), { choice: 'against' }).expect(201);
      await post(`votes/${other}/close`, chair(w)).expect(200);
      expect(await todos(chair(w))).to.include({ votesOpen: 0 });
    });
  });

  describe('hardship assistance', () => {
    let id: number;
    let applicant: string;
    const step = (path: string, who: Caller, body: object = {}) =>
      w.api.post(`/union/api/assistance-cases/${id}/${path}`).set(who).send(body).expect(200);
    /** The public notice board's own view: notices ending by a date. */
    const boardEndingBy = async (date: string) =>
      (await w.api.get('/union/api/assistance-notices').set(as(w, 'u_emp')).expect(200)).body.items.filter(
        (n: { endsOn: string }) => n.endsOn <= date,
      ).length;

    it('a case in 公示 ending within two working days waits for its handler and the chair until it is approved', async () => {
      on('2026-12-01');
      // The applicant works in the branch: its staff, who do not handle the case, still do not see it.
      applicant = await hire(w, 'D05', '2025-03-01', '王小明');
      id = (
        await w.api
          .post('/union/api/assistance-cases')
          .set(as(w, applicant))
          .send({ category: 'illness', description: '家人住院' })
          .expect(201)
      ).body.id;
      await step('accept', staff(w));
      await step('verify', staff(w), { note: '入户走访，核实属实', homeVisitOn: '2026-12-01', familyConsent: true });
      await step('decide', chair(w), { decision: 'grant', kind: 'cash', amount: 3000, grade: 'relative' });
      const ends = (await w.api.get(`/union/api/assistance-cases/${id}`).set(chair(w)).expect(200)).body.noticeEndsOn;
      expect(ends).to.equal('2026-12-08');
      expect(await todos(staff(w))).to.include({ assistanceNotice: 0 });
      on('2026-12-03'); // two working days on is 7 December: not yet
      expect(await todos(staff(w))).to.include({ assistanceNotice: 0 });
      on('2026-12-04'); // two working days on is 8 December
      expect((await todos(staff(w))).assistanceNotice)
        .to.equal(1)
        .and.equal(await boardEndingBy('2026-12-08'));
      expect(await todos(chair(w))).to.include({ assistanceNotice: 1 });
      // Another staff member does not handle the case.
      expect(await todos(branch())).to.include({ assistanceNotice: 0 });
      on('2026-12-09');
      expect(await todos(staff(w))).to.include({ assistanceNotice: 1 });
      await step('confirm', staff(w));
      expect(await todos(staff(w))).to.include({ assistanceNotice: 0 });
      expect(await todos(chair(w))).to.include({ assistanceNotice: 0 });
    });

    it("the period's cases and amount equal the cases' own record, with the month before", async () => {
      on('2026-12-10');
      await step('pay', staff(w), { note: '转账' });
      const own = (await w.api.get(`/union/api/assistance-cases/${id}`).set(chair(w)).expect(200)).body;
      expect(own).to.include({ paidOn: '2026-12-10', amount: '3000.00' });
      const { body } = await w.api.get('/union/api/dashboard?period=2026-12').set(chair(w)).expect(200);
      const k = (key: string) => (body.kpis as Kpi[]).find((x) => x.key === key)!;
      expect(k('assistanceCases')).to.include({ value: 1, previous: 0 });
      expect(k('assistanceAmount')).to.include({ value: Number(own.amount), previous: 0 });
      // Aggregates for the chair only: the staff's desk has no assistance figures.
      const staffDesk = (await w.api.get('/union/api/dashboard?period=2026-12').set(staff(w)).expect(200)).body;
      expect((staffDesk.kpis as Kpi[]).map((x) => x.key)).not.to.include('assistanceCases');
    });

    it('a case due for its yearly review waits for its handler until reviewed', async () => {
      on('2027-11-01'); // due 9 December 2027; reminded 30 days ahead
      expect(await todos(staff(w))).to.include({ assistanceReview: 0 });
      on('2027-11-10');
      expect(await todos(staff(w))).to.include({ assistanceReview: 1 });
      expect(await todos(chair(w))).to.include({ assistanceReview: 1 });
      expect(await todos(branch())).to.include({ assistanceReview: 0 });
      await step('review', staff(w), { outcome: 'continue', note: '家庭困难仍在' });
      expect(await todos(staff(w))).to.include({ assistanceReview: 0 });
      expect(await todos(chair(w))).to.include({ assistanceReview: 0 });
    });
  });

  describe('collective contracts', () => {
    const runChecks = () => w.plugin.runJob('contracts-checks', { trigger: 'button', actor: { id: 'u_staff', kind: 'user' } });
    const apiExceptions = async () => (await w.api.get('/union/api/contracts/exceptions').set(staff(w)).expect(200)).body.items.length;
    const apiOverdueShortfalls = async () =>
      (await w.api.get('/union/api/shortfalls').set(staff(w)).expect(200)).body.items.filter((s: { overdue: boolean }) => s.overdue).length;
    const record = (itemId: number, body: object) =>
      w.api.post(`/union/api/contracts/items/${itemId}`).set(staff(w)).send(body).expect(200);

    it('check items with data overdue appear for contract staff and the chair, and go once judged', async () => {
      on('2026-12-01');
      const contractId = (await w.api.post('/union/api/contracts').set(staff(w)).send(CONTRACT).expect(201)).body.id;
      await runChecks();
      const checkId = (await w.db('union_contract_checks').where({ contract_id: contractId }).first()).id as number;
      const [wage, heat, leave] = (await w.api.get(`/union/api/contracts/checks/${checkId}`).set(staff(w)).expect(200)).body
        .items as Array<{
        id: number;
      }>;
      on('2026-12-08'); // the due day itself is not late
      expect(await todos(staff(w))).to.include({ contractExceptions: 0 });
      on('2026-12-09');
      expect((await todos(staff(w))).contractExceptions)
        .to.equal(2)
        .and.equal(await apiExceptions());
      expect(await todos(chair(w))).to.include({ contractExceptions: 2 });
      // Contracts are union-wide: a branch's staff who manage contracts see the same list.
      expect(await todos(branch())).to.include({ contractExceptions: 2 });
      await record(wage.id, { dataReceivedOn: '2026-12-09', result: 'met' });
      expect(await todos(staff(w))).to.include({ contractExceptions: 1 });
      await record(leave.id, { dataReceivedOn: '2026-12-09', result: 'met' });
      expect(await todos(staff(w))).to.include({ contractExceptions: 0 });
      await record(heat.id, { dataReceivedOn: '2026-12-09', result: 'not_met', note: '未发放' });
      expect((await todos(staff(w))).contractExceptions)
        .to.equal(1)
        .and.equal(await apiExceptions());
    });

    it('a shortfall case past its step deadline appears, and goes with the next step', async () => {
      on('2026-12-09');
      const sid = (
        await w.api.post('/union/api/shortfalls').set(staff(w)).send({ kind: 'unpaid_wages', summary: '十一月工资延迟发放' }).expect(201)
      ).body.id;
      await w.api.post(`/union/api/shortfalls/${sid}/evidence`).set(staff(w)).attach('file', PNG, '工资条.png').expect(201);
      const prompted = await w.api.post(`/union/api/shortfalls/${sid}/prompt`).set(staff(w)).send({}).expect(200);
      expect(prompted.body.dueDate).to.equal('2026-12-16');
      on('2026-12-16');
      expect(await todos(staff(w))).to.include({ shortfallsOverdue: 0 });
      on('2026-12-17');
      expect((await todos(staff(w))).shortfallsOverdue)
        .to.equal(1)
        .and.equal(await apiOverdueShortfalls());
      await w.api.post(`/union/api/shortfalls/${sid}/consult`).set(staff(w)).send({ note: '与人力资源部协商，承诺补发' }).expect(200);
      expect(await todos(staff(w))).to.include({ shortfallsOverdue: 0 });
      expect(await apiOverdueShortfalls()).to.equal(0);
    });
  });

  // Mocha runs a suite's own tests before its nested suites: the report comes last in a suite of its own.
  describe('the report', () => {
    it("the month's report names the congress resolutions, motion answers, assistance given and contract exceptions, as the areas count them", async () => {
      on('2026-12-20');
      const binary = (r: import('supertest').Response, cb: (err: Error | null, body: Buffer) => void) => {
        const parts: Buffer[] = [];
        (r as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => parts.push(c));
        (r as unknown as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(parts)));
      };
      const xlsx = await w.api.get('/union/api/reports/2026-12.xlsx').set(chair(w)).buffer(true).parse(binary).expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      const lines: string[] = [];
      wb.getWorksheet('重点事项')!.eachRow((r) => lines.push(String(r.getCell(1).value)));
      const sessionId = (await w.db('union_congress_sessions').first('id')).id as number;
      const report = (await w.api.get(`/union/api/congress/sessions/${sessionId}/motion-report`).set(chair(w)).expect(200)).body;
      expect(report).to.include({ answered: 1, satisfied: 1 });
      expect(lines).to.include.members([
        '职代会表决事项 2 项：通过 1 项，未通过 1 项',
        `职代会提案已答复 ${report.answered} 件：满意（含基本满意）${report.satisfied} 件，不满意 0 件，尚未评价 0 件`,
        '发放困难帮扶 1 件，合计 3000.00 元',
        '最近一次合同履约检查发现异常 1 项（未达标 1 项，资料缺失 0 项，资料逾期 0 项）',
      ]);
      // Counts and sums only: no applicant, no illness, no proposer.
      expect(lines.join('\n')).not.to.match(/住院|illness|王|E0|增设母婴室/);
    });
  });
});
