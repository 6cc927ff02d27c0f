import { expect } from 'chai';
import { createPlan, recordPayments } from '../../plugin/services/care/welfare';
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

describe('browser: an employee sees 我的福利 on a phone', function () {
  this.timeout(120_000);
  const suite = browserSuite({ employees: 20 }, async (live) => {
    const ctx = live.world.plugin.ctx;
    const staff = { id: 'u_staff', kind: 'user' as const };
    const plan = await createPlan(ctx, staff, {
      name: '中秋慰问',
      amount: 300,
      cycle: 'yearly',
      startsOn: '2026-09-01',
      audience: 'all_members',
    });
    await recordPayments(ctx, staff, { planId: plan.id, period: '2026-09', employeeIds: ['u_emp', 'u_chair'] });
    const other = await createPlan(ctx, staff, {
      name: '生日蛋糕券',
      item: '蛋糕券一张',
      cycle: 'per_occurrence',
      startsOn: '2026-01-01',
      audience: 'all_members',
    });
    await recordPayments(ctx, staff, { planId: other.id, period: '2026-10', employeeIds: ['u_chair'] });
  });

  it('u_emp opens 我的福利 from the union tabs at 375 px and sees only their own payment', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('my-welfare-mobile');
    const phone = await newContext(suite.browser, PHONE);
    const emp = await phone.newPage();
    const problems = watchProblems(emp);
    await signInAs(emp, baseUrl, 'u_emp', '/union/');
    await emp.goto(`${baseUrl}/union/`);
    await clickAndWait(emp, emp.locator('a[href="/union/my-welfare"]').first());
    expect(new URL(emp.url()).pathname).to.equal('/union/my-welfare');
    const cards = emp.locator('[data-testid="payment"]');
    expect(await cards.count()).to.equal(1);
    const text = await cards.first().innerText();
    expect(text)
      .to.contain('中秋慰问')
      .and.contain('2026-09')
      .and.contain('¥300.00')
      .and.match(/发放于 \d{4}-\d{2}-\d{2}/);
    expect(await emp.content()).to.not.contain('生日蛋糕券');
    await expectCjkFont(emp, '[data-testid="payment"] h2');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'my-welfare');
    expect(problems).to.deep.equal([]);
    await phone.close();
  });
});
