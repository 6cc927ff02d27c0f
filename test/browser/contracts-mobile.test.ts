import { expect } from 'chai';
import { createContract } from '../../plugin/services/contracts/contracts';
import { openQuarterChecks, recordItem } from '../../plugin/services/contracts/checks';
import {
  browserSuite,
  clickAndWait,
  expectCjkFont,
  expectNoHorizontalOverflow,
  newContext,
  PHONE,
  signInAs,
  watchProblems,
} from '../helpers/browser';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe("browser: an employee reads the collective contract's clauses on a phone", function () {
  this.timeout(120_000);
  const suite = browserSuite({ employees: 20 }, async (live) => {
    const ctx = live.world.plugin.ctx;
    const staff = { id: 'u_staff', kind: 'user' as const };
    const year = Number(ctx.today().slice(0, 4));
    await createContract(ctx, staff, {
      kind: 'collective',
      title: '企业集体合同（第三期）',
      startsOn: `${year - 1}-01-01`,
      endsOn: `${year + 1}-12-31`,
      signedOn: `${year - 2}-12-20`,
      filedOn: `${year - 2}-12-25`,
      clauses: [
        {
          kind: 'wage_increase',
          text: '职工年度平均工资增长幅度不低于 5%，并于每年 4 月调整到位',
          target: '≥5%',
          dataRequired: '工资总额与人数',
          dataDueDays: 5,
        },
        { kind: 'heat_allowance', text: '6 月至 9 月露天和高温作业岗位按月发放高温津贴', dataRequired: '高温津贴发放表', dataDueDays: 10 },
        { kind: 'paid_leave', text: '职工工作满一年享受带薪年休假，未休的按日工资 300% 支付', dataRequired: '年休假台账', dataDueDays: 5 },
      ],
    });
    await openQuarterChecks(ctx, staff);
    const items = await live.world.db('union_contract_check_items').orderBy('id').select('id');
    await recordItem(ctx, staff, items[0].id, { result: 'met', dataReceivedOn: ctx.today(), note: '增长 6.2%' });
    await recordItem(ctx, staff, items[2].id, { result: 'data_missing' });
  });

  it('u_emp opens 集体合同 from the union tabs at 375 px and sees each clause with its latest check', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('contracts-mobile-employee');
    const phone = await newContext(suite.browser, PHONE);
    const emp = await phone.newPage();
    const problems = watchProblems(emp);
    await signInAs(emp, baseUrl, 'u_emp', '/union/');
    await emp.goto(`${baseUrl}/union/`);
    await clickAndWait(emp, emp.locator('a[href="/union/contracts"]').first());
    expect(new URL(emp.url()).pathname).to.equal('/union/contracts');
    expect(await emp.locator('[data-testid="contract"] h2').innerText()).to.equal('企业集体合同（第三期）');
    expect(await emp.locator('[data-testid="latest-check"]').innerText()).to.match(/最近一次履约检查：\d{4}-Q[1-4]/);
    const clauses = emp.locator('[data-testid="clause"]');
    expect(await clauses.count()).to.equal(3);
    const standings = await emp.locator('[data-testid="standing"]').allInnerTexts();
    expect(standings).to.deep.equal(['已履行', '检查中', '资料未提供']);
    expect(await clauses.first().innerText())
      .to.contain('年度工资增长')
      .and.contain('不低于 5%')
      .and.contain('约定标准：≥5%');
    // Staff notes and the company's figures stay with staff; no raw codes reach the page.
    const html = await emp.content();
    expect(html).to.not.contain('增长 6.2%').and.not.contain('wage_increase').and.not.contain('data_missing<');
    await expectCjkFont(emp, '[data-testid="clause"] strong');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'contract-clauses');
    expect(problems).to.deep.equal([]);
    const review = await emp.goto(`${baseUrl}/union/contracts/review`);
    expect(review?.status()).to.equal(403);
    await phone.close();
  });

  it('u_staff reviews the exceptions at 375 px: the missing data, named in words', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('contracts-mobile-staff');
    const phone = await newContext(suite.browser, PHONE);
    const staff = await phone.newPage();
    const problems = watchProblems(staff);
    await signInAs(staff, baseUrl, 'u_staff', '/union/contracts/review');
    await staff.goto(`${baseUrl}/union/contracts/review`);
    const exceptions = staff.locator('[data-testid="exception"]');
    expect(await exceptions.count()).to.equal(1);
    expect(await exceptions.first().innerText())
      .to.contain('带薪休假')
      .and.contain('资料未提供')
      .and.contain('年休假台账');
    await expectNoHorizontalOverflow(staff);
    await shots.take(staff, 'staff-review');
    expect(problems).to.deep.equal([]);
    await phone.close();
  });

  it('u_staff opens a shortfall case on a phone: refused without evidence, moves on after the upload', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('contracts-mobile-shortfall');
    const phone = await newContext(suite.browser, PHONE);
    const staff = await phone.newPage();
    const problems = watchProblems(staff);
    await signInAs(staff, baseUrl, 'u_staff', '/union/contracts/review');
    await staff.goto(`${baseUrl}/union/contracts/review`);
    await staff.selectOption('[data-testid="shortfall-kind"]', 'excess_overtime');
    await staff.fill('[data-testid="shortfall-summary"]', '三车间十月每周加班超过 12 小时');
    await clickAndWait(staff, staff.locator('[data-testid="open-shortfall"]'));
    expect(new URL(staff.url()).pathname).to.match(/^\/union\/contracts\/shortfalls\/\d+$/);
    expect(await staff.locator('[data-testid="case-status"]').innerText()).to.equal('取证');

    await clickAndWait(staff, staff.locator('[data-testid="do-prompt"]'));
    expect(await staff.locator('.union-flash').innerText()).to.contain('请先上传至少一份证据材料');
    expect(await staff.locator('[data-testid="case-status"]').innerText()).to.equal('取证');

    await staff.setInputFiles('[data-testid="evidence-file"]', { name: '考勤表.png', mimeType: 'image/png', buffer: PNG });
    await clickAndWait(staff, staff.locator('[data-testid="add-evidence"]'));
    expect(await staff.locator('[data-testid="case-files"]').innerText()).to.contain('考勤表.png');
    await staff.fill('#note-prompt', '口头提示生产部');
    await clickAndWait(staff, staff.locator('[data-testid="do-prompt"]'));
    expect(await staff.locator('[data-testid="case-status"]').innerText()).to.equal('已提示');
    expect(await staff.locator('[data-testid="case-history"]').innerText())
      .to.contain('立案')
      .and.contain('上传证据')
      .and.contain('提示')
      .and.not.contain('u_staff');
    await expectNoHorizontalOverflow(staff);
    await shots.take(staff, 'shortfall-prompted');
    expect(problems).to.deep.equal([]);
    await phone.close();
  });
});
