import { expect } from 'chai';
import { submitApplication } from '../../plugin/services/applications';
import { createPlan } from '../../plugin/services/care/welfare';
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

describe('browser: staff and the chair open the desk on a phone', function () {
  this.timeout(180_000);
  const suite = browserSuite({ employees: 20 }, async (live) => {
    const ctx = live.world.plugin.ctx;
    await submitApplication(ctx, { id: 'u_emp', kind: 'user' }, 'u_emp', { consent: true });
    await createPlan(
      ctx,
      { id: 'u_staff', kind: 'user' },
      { name: '交通补贴', amount: 100, cycle: 'monthly', startsOn: '2026-01-01', audience: 'all_members' },
    );
  });

  it('u_staff goes from the union tab to the desk at 375 px: to-dos first, figure cards, a figure opens its trend', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('desk-mobile');
    const phone = await newContext(suite.browser, PHONE);
    const page = await phone.newPage();
    const problems = watchProblems(page);
    await signInAs(page, baseUrl, 'u_staff', '/union/');
    await page.goto(`${baseUrl}/union/`);
    await clickAndWait(page, page.locator('[data-testid="desk-link"]'));
    expect(new URL(page.url()).pathname).to.equal('/union/desk');
    const todo = page.locator('[data-testid="todo-applications"]');
    expect(await todo.innerText())
      .to.contain('1')
      .and.contain('待审批的入会申请');
    const todosBox = await page.locator('[data-testid="desk-todos"]').boundingBox();
    const kpiBox = await page.locator('[data-testid="kpi-coverage"]').boundingBox();
    expect(todosBox!.y).to.be.lessThan(kpiBox!.y);
    expect(todosBox!.y).to.be.lessThan(400); // on the first screen
    await expectCjkFont(page, '[data-testid="desk-todos"] h2');
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'desk');
    await clickAndWait(page, page.locator('[data-testid="kpi-coverage"]'));
    expect(await page.locator('[data-testid="kpi-trend"] svg').count()).to.equal(1);
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'coverage');
    expect(problems).to.deep.equal([]);
    await phone.close();
  });

  it('u_chair asks for the report page and sees the periods to generate', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('desk-reports-mobile');
    const phone = await newContext(suite.browser, PHONE);
    const page = await phone.newPage();
    const problems = watchProblems(page);
    await signInAs(page, baseUrl, 'u_chair', '/union/desk/reports');
    await page.goto(`${baseUrl}/union/desk/reports`);
    await clickAndWait(page, page.locator('[data-testid="report-generate"]'));
    expect(await page.locator('[data-testid="report-list"]').innerText()).to.contain('年');
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'reports');
    expect(problems).to.deep.equal([]);
    await phone.close();
  });
});
