import { expect } from 'chai';
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

describe('browser: an employee applies for hardship help on a phone', function () {
  this.timeout(180_000);
  const suite = browserSuite({ employees: 20 });

  it('u_emp opens 困难帮扶 from the union tabs at 375 px, applies (hostile text stays text) and follows the case', async () => {
    const { baseUrl, world } = suite.live;
    const shots = suite.shots('assistance-mobile');
    const evil = '<img src=x onerror=alert(1)> 父亲住院手术\n需要帮助';
    const phone = await newContext(suite.browser, PHONE);
    const emp = await phone.newPage();
    const problems = watchProblems(emp);
    await signInAs(emp, baseUrl, 'u_emp', '/union/');
    await emp.goto(`${baseUrl}/union/`);
    await clickAndWait(emp, emp.locator('a[href="/union/assistance"]').first());
    expect(new URL(emp.url()).pathname).to.equal('/union/assistance');
    await emp.locator('[data-testid="assistance-new"]').waitFor();
    await expectCjkFont(emp, '[data-testid="assistance-new"] h2');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'apply-form');

    await emp.locator('[data-testid="category"]').selectOption('illness');
    await emp.locator('[data-testid="description"]').fill(evil);
    await emp.locator('[data-testid="urgent"]').check();
    await clickAndWait(emp, emp.locator('[data-testid="apply"]'));
    const id = Number(/\/union\/assistance\/(\d+)$/.exec(new URL(emp.url()).pathname)![1]);
    expect((await emp.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已提交');
    expect(await emp.locator('[data-testid="case-description"]').innerText()).to.equal(evil);
    expect(await emp.locator('img[src="x"]').count()).to.equal(0);
    expect(await emp.locator('[data-testid="case-due"]').innerText()).to.match(/\d{4}-\d{2}-\d{2}/);
    expect(await world.db('union_assistance_cases').where({ id }).first()).to.include({
      employee_id: 'u_emp',
      status: 'submitted',
      urgent: 1,
    });
    // No raw codes on the page a person reads.
    const text = await emp.locator('main, body').first().innerText();
    expect(text).to.contain('患病致困').and.contain('急难');
    expect(text).not.to.match(/\billness\b|\bsubmitted\b|u_emp/);
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'applied');

    // The list shows the case as a card.
    await emp.goto(`${baseUrl}/union/assistance`);
    const card = emp.locator(`[data-testid="assistance-${id}"]`);
    expect(await card.innerText())
      .to.contain('已提交')
      .and.contain('患病致困');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'my-applications');

    // Until the committee decides, the applicant may withdraw; the case stays in the list as withdrawn.
    await clickAndWait(emp, card);
    await clickAndWait(emp, emp.locator('[data-testid="withdraw"]'));
    expect((await emp.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已撤回');
    expect(await emp.locator('[data-testid="withdraw"]').count()).to.equal(0);
    expect(await emp.locator('[data-testid="case-history"]').innerText()).to.contain('撤回申请');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'withdrawn');
    expect(problems).to.deep.equal([]);
    await phone.close();
  });
});
