import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');

/** A collective contract for 2024–2026 with three verifiable clauses (the data due 5, 10 and 5 working days after a check opens). */
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

describe('contracts: quarterly compliance checks, overdue data, exceptions and the renewal reminder', function () {
  this.timeout(60_000);
  let w: World;
  before(async () => (w = await makeWorld({ employees: 20 })));
  after(async () => w.close());
  beforeEach(() => w.notify.resetHistory());

  const emp = () => bearer(w.token('u_emp'));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const by = { trigger: 'button' as const, actor: { id: 'u_staff', kind: 'user' as const } };
  const sent = (template: string) => w.notify.getCalls().filter((c) => c.args[0].template === template);
  const runChecks = async () => (await w.plugin.runJob('contracts-checks', by)).value as { opened: number; flagged: number };
  const runRenewal = async () => (await w.plugin.runJob('contracts-renewal', by)).value as number;

  it('bad input is a 400 naming the field, and nothing is written', async () => {
    const bad = async (body: object, path: string) => {
      const res = await w.api.post('/union/api/contracts').set(staff()).send(body).expect(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(path);
    };
    await bad({ ...CONTRACT, endsOn: '2023-12-31' }, 'body.endsOn');
    await bad({ ...CONTRACT, filedOn: '2023-12-01' }, 'body.filedOn');
    await bad({ ...CONTRACT, startsOn: '2024-02-30' }, 'body.startsOn');
    await bad({ ...CONTRACT, clauses: [{ ...CONTRACT.clauses[0], kind: 'bonus' }] }, 'body.clauses.0.kind');
    await bad({ ...CONTRACT, clauses: [] }, 'body.clauses');
    await bad({ ...CONTRACT, kind: undefined }, 'body.kind');
    expect(await w.db('union_contracts').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await w.db('union_contract_clauses').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it("the job opens the quarter's check once, flags the data delivery that passed its working-day due date once, and the exceptions list it", async () => {
    w.clock.setSystemTime(at10('2026-09-15'));
    const { body } = await w.api.post('/union/api/contracts').set(staff()).send(CONTRACT).expect(201);
    const id = body.id as number;
    await w.api
      .post('/union/api/contracts')
      .set(staff())
      .send({
        ...CONTRACT,
        title: '已到期的旧合同',
        startsOn: '2021-01-01',
        endsOn: '2023-12-31',
        signedOn: '2020-12-20',
        filedOn: undefined,
      })
      .expect(201);
    const contract = (await w.api.get(`/union/api/contracts/${id}`).set(staff()).expect(200)).body;
    expect(contract).to.include({ reviewDays: 15, reviewEndsOn: '2024-01-09' });
    // A filing recorded later sets the end of the bureau's review.
    const unfiled = (
      await w.api
        .post('/union/api/contracts')
        .set(staff())
        .send({
          ...CONTRACT,
          kind: 'safety',
          title: '安全生产专项集体合同',
          startsOn: '2021-01-01',
          endsOn: '2023-12-31',
          signedOn: '2020-12-20',
          filedOn: undefined,
        })
        .expect(201)
    ).body.id;
    expect((await w.api.get(`/union/api/contracts/${unfiled}`).set(staff()).expect(200)).body).to.include({
      filedOn: null,
      reviewEndsOn: null,
    });
    const early = await w.api.post(`/union/api/contracts/${unfiled}/filing`).set(staff()).send({ filedOn: '2020-12-01' }).expect(400);
    expect(early.body.error.details[0].path).to.equal('body.filedOn');
    await w.api.post(`/union/api/contracts/${unfiled}/filing`).set(staff()).send({ filedOn: '2026-09-16' }).expect(400);
    const filed = await w.api
      .post(`/union/api/contracts/${unfiled}/filing`)
      .set(staff())
      .send({ filedOn: '2021-01-05', reviewDays: 10 })
      .expect(200);
    expect(filed.body).to.include({ filedOn: '2021-01-05', reviewDays: 10, reviewEndsOn: '2021-01-15' });

    // 1 October is in the National Day holiday: the due days count from 8 October, with the 调休 Saturday 10 October.
    w.clock.setSystemTime(at10('2026-10-01'));
    expect(await runChecks()).to.deep.equal({ opened: 1, flagged: 0, chased: 0 });
    expect(await runChecks()).to.deep.equal({ opened: 0, flagged: 0, chased: 0 });
    const checkId = (await w.db('union_contract_checks').where({ contract_id: id }).first()).id as number;
    const check = (await w.api.get(`/union/api/contracts/checks/${checkId}`).set(staff()).expect(200)).body;
    expect(check.quarter).to.equal('2026-Q4');
    expect(check.items.map((i: { dataDueDate: string }) => i.dataDueDate)).to.deep.equal(['2026-10-13', '2026-10-20', '2026-10-13']);
    const [wage, heat, leave] = check.items as Array<{ id: number }>;

    w.clock.setSystemTime(at10('2026-10-12'));
    await w.api.post(`/union/api/contracts/items/${wage.id}`).set(staff()).send({ dataReceivedOn: '2026-10-12' }).expect(200);
    w.clock.setSystemTime(at10('2026-10-13'));
    expect(await runChecks()).to.deep.equal({ opened: 0, flagged: 0, chased: 0 }); // the due day itself is not late
    w.clock.setSystemTime(at10('2026-10-14'));
    expect(await runChecks()).to.deep.equal({ opened: 0, flagged: 1, chased: 0 });
    expect(await runChecks()).to.deep.equal({ opened: 0, flagged: 0, chased: 0 });
    const overdue = sent('union.contract.dataOverdue');
    expect(overdue).to.have.length(1);
    expect(overdue[0].args[0].to).to.include('u_staff');
    expect(overdue[0].args[0].title).to.equal('集体合同履约资料逾期');
    expect(overdue[0].args[0].link).to.equal('/union/contracts/review');

    let exceptions = (await w.api.get('/union/api/contracts/exceptions').set(staff()).expect(200)).body.items;
    expect(exceptions.map((e: { id: number; dataOverdue: boolean }) => [e.id, e.dataOverdue])).to.deep.equal([[leave.id, true]]);

    // Findings: met with evidence; met or not met needs the data; data missing for the leave ledger.
    const pdf = await w.api
      .post(`/union/api/contracts/items/${wage.id}/evidence`)
      .set(staff())
      .attach('file', PDF, '工资总额.pdf')
      .expect(201);
    const fake = await w.api
      .post(`/union/api/contracts/items/${wage.id}/evidence`)
      .set(staff())
      .attach('file', Buffer.from('<html>'), 'x.pdf')
      .expect(400);
    expect(fake.body.error.details[0].path).to.equal('file');
    await w.api.post(`/union/api/contracts/items/${wage.id}`).set(staff()).send({ result: 'met', note: '增长 6.2%' }).expect(200);
    const noData = await w.api.post(`/union/api/contracts/items/${heat.id}`).set(staff()).send({ result: 'not_met' }).expect(400);
    expect(noData.body.error.details[0].path).to.equal('body.dataReceivedOn');
    const future = await w.api
      .post(`/union/api/contracts/items/${heat.id}`)
      .set(staff())
      .send({ result: 'not_met', dataReceivedOn: '2026-10-15' })
      .expect(400);
    expect(future.body.error.details[0].path).to.equal('body.dataReceivedOn');
    await w.api
      .post(`/union/api/contracts/items/${heat.id}`)
      .set(staff())
      .send({ result: 'not_met', dataReceivedOn: '2026-10-14', note: '9 月未发放' })
      .expect(200);
    // The page's form reaches an item through its check: another check's path is 404; the post goes back to the check.
    await w.api
      .post(`/union/contracts/checks/${checkId + 1}/items/${leave.id}`)
      .set(staff())
      .type('form')
      .send({ result: 'data_missing' })
      .expect(404);
    const form = await w.api
      .post(`/union/contracts/checks/${checkId}/items/${leave.id}`)
      .set(staff())
      .type('form')
      .send({ result: 'data_missing', dataReceivedOn: '', note: '' })
      .expect(303);
    expect(form.headers.location).to.match(new RegExp(`^/union/contracts/checks/${checkId}\\?`));
    const got = await w.api.get(`/union/api/contracts/items/${wage.id}/evidence/${pdf.body.id}`).set(staff()).buffer(true).expect(200);
    expect(Buffer.compare(got.body as Buffer, PDF)).to.equal(0);
    await w.api.get(`/union/api/contracts/items/${wage.id}/evidence/${pdf.body.id}`).set(emp()).expect(403);

    exceptions = (await w.api.get('/union/api/contracts/exceptions').set(staff()).expect(200)).body.items;
    expect(exceptions.map((e: { id: number; result: string }) => [e.id, e.result])).to.deep.equal([
      [heat.id, 'not_met'],
      [leave.id, 'data_missing'],
    ]);
    expect(await w.db('union_audit').where({ action: 'contract.itemRecorded' }).count({ n: '*' }).first()).to.deep.equal({ n: 4 });

    // What employees read: the clauses in force with their latest standing, no notes or files.
    const mine = (await w.api.get('/union/api/contracts/in-force').set(emp()).expect(200)).body.items;
    expect(mine).to.have.length(1);
    expect(mine[0]).to.include({ title: CONTRACT.title, quarter: '2026-Q4' });
    expect(mine[0].clauses.map((c: { kind: string; standing: string }) => [c.kind, c.standing])).to.deep.equal([
      ['wage_increase', 'met'],
      ['heat_allowance', 'not_met'],
      ['paid_leave', 'data_missing'],
    ]);
    expect(JSON.stringify(mine)).to.not.contain('6.2%');
    await w.api.get('/union/api/contracts/exceptions').set(emp()).expect(403);
  });

  it('the renewal reminder goes to staff once, on the 60th day before the end', async () => {
    w.clock.setSystemTime(at10('2026-10-31')); // 61 days before 31 December
    expect(await runRenewal()).to.equal(0);
    w.clock.setSystemTime(at10('2026-11-01'));
    // Nobody the host lists as staff: the reminder stays due rather than being marked sent to no one.
    const roles = await w.db('host_user_roles').where({ role: 'union_staff' });
    await w.db('host_user_roles').where({ role: 'union_staff' }).delete();
    expect(await runRenewal()).to.equal(0);
    await w.db('host_user_roles').insert(roles);
    expect(await runRenewal()).to.equal(1);
    expect(await runRenewal()).to.equal(0);
    w.clock.setSystemTime(at10('2026-11-02'));
    expect(await runRenewal()).to.equal(0);
    const told = sent('union.contract.renewal');
    expect(told).to.have.length(1);
    expect(told[0].args[0].to).to.include('u_staff');
    expect(told[0].args[0].body).to.contain('2026-12-31').and.contain(CONTRACT.title);
  });

  it('the reminder day follows the setting', async () => {
    w.clock.setSystemTime(at10('2026-11-01'));
    const { body } = await w.api
      .post('/union/api/contracts')
      .set(staff())
      .send({ ...CONTRACT, title: '女职工专项集体合同', kind: 'women', endsOn: '2027-01-30' })
      .expect(201);
    // 2027-01-30 is 90 days after 2026-11-01: outside the default 60 days.
    expect(await runRenewal()).to.equal(0);
    (w.plugin.ctx.settings as unknown as { contracts: { renewalNoticeDays: number } }).contracts = { renewalNoticeDays: 90 };
    try {
      expect(await runRenewal()).to.equal(1);
      expect((await w.db('union_contracts').where({ id: body.id }).first()).renewal_noticed_at).to.not.equal(null);
    } finally {
      (w.plugin.ctx.settings as unknown as { contracts: { renewalNoticeDays: number } }).contracts = { renewalNoticeDays: 60 };
    }
  });
});
