import { expect } from 'chai';
import { bearer } from '../helpers/harness';
import { clickAndWait, expectNoHorizontalOverflow, newContext, PHONE, signInAs, watchProblems, browserSuite } from '../helpers/browser';

describe('browser: every page of the 工会 tab fits a 375 px phone', function () {
  this.timeout(120_000);
  const suite = browserSuite({ employees: 40 }, async (live) => {
    // One member (hired with the default on-hire policy), so the ledger and a detail page have content.
    const w = live.world;
    await w.api
      .post('/hr/api/employees')
      .set(bearer(w.token('admin', ['admin'])))
      .send({ name: '欧阳晓雯', departmentId: 'D11', gender: 'F', birthDate: '1995-06-30', hireDate: w.plugin.ctx.today() })
      .expect(201);
  });

  it('the chair opens each entry of the tab and a member detail page; none scrolls sideways', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('tab-pages-mobile');
    const phone = await newContext(suite.browser, PHONE);
    const page = await phone.newPage();
    const problems = watchProblems(page);
    await signInAs(page, baseUrl, 'u_chair');
    await clickAndWait(page, page.locator('header.topbar nav a', { hasText: '工会' }));

    const entries = await page
      .locator('nav.subnav a')
      .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href')!, title: a.textContent!.trim() })));
    expect(entries.map((e) => e.href)).to.include.members([
      '/union/',
      '/union/members',
      '/union/applications',
      '/union/coverage',
      '/union/orgs',
    ]);
    for (const { href } of entries) {
      const res = await page.goto(`${baseUrl}${href}`);
      expect(res!.status(), href).to.equal(200);
      await page.locator('.union-main').waitFor();
      await shots.take(page, href.replace(/^\/union\/?/, '').replace(/\W+/g, '-') || 'home');
      await expectNoHorizontalOverflow(page);
    }

    await page.goto(`${baseUrl}/union/members`);
    await clickAndWait(page, page.locator('[data-testid="member-table"] a', { hasText: '欧阳晓雯' }));
    await page.locator('[data-testid="detail-status"]').waitFor();
    expect((await page.locator('[data-testid="detail-status"]').innerText()).trim()).to.equal('生效');
    await shots.take(page, 'member-detail');
    await expectNoHorizontalOverflow(page);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await phone.close();
  });
});
