import { expect } from 'chai';
import { clickAndWait, DESKTOP, menuTabs, newContext, signInAs, watchProblems, browserSuite } from '../helpers/browser';

describe('browser: the administrator enables and disables 工会 in the plugin manager', function () {
  this.timeout(120_000);
  const suite = browserSuite({ enable: false, employees: 40 });

  it('enabling by clicking shows the 工会 tab; disabling removes it and /union/ answers the host 404', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('plugin-manager');
    const context = await newContext(suite.browser, DESKTOP);
    const page = await context.newPage();
    const problems = watchProblems(page);

    await page.goto(`${baseUrl}/login`);
    await shots.take(page, 'login');
    await signInAs(page, baseUrl, 'admin');
    expect(await menuTabs(page)).to.deep.equal(['首页', '消息', '人事', '插件管理']);
    await shots.take(page, 'admin-home');

    await clickAndWait(page, page.locator('header.topbar nav a', { hasText: '插件管理' }));
    expect(new URL(page.url()).pathname).to.equal('/plugins');
    expect(await page.locator('.card', { hasText: '工会' }).locator('.badge').first().innerText()).to.equal('未启用');
    await shots.take(page, 'plugins-disabled');

    await clickAndWait(page, page.locator('form[action="/plugins/union/enable"] button[type="submit"]'));
    await page.locator('.flash', { hasText: 'union 已启用' }).waitFor();
    expect(await page.locator('.card', { hasText: '工会' }).locator('.badge').first().innerText()).to.equal('已启用');
    expect(await menuTabs(page)).to.deep.equal(['首页', '消息', '人事', '插件管理', '工会']);
    await shots.take(page, 'plugins-enabled');

    await clickAndWait(page, page.locator('header.topbar nav a', { hasText: '工会' }));
    expect(new URL(page.url()).pathname).to.equal('/union/');
    await page.locator('[data-testid="membership-card"]').waitFor();
    expect(await page.locator('header.topbar nav a.active').innerText()).to.equal('工会');
    await shots.take(page, 'union-home-admin');

    await page.goto(`${baseUrl}/plugins`);
    await clickAndWait(page, page.locator('form[action="/plugins/union/disable"] button[type="submit"]'));
    await page.locator('.flash', { hasText: 'union 已停用' }).waitFor();
    expect(await menuTabs(page)).to.deep.equal(['首页', '消息', '人事', '插件管理']);
    expect(await page.locator('.card', { hasText: '工会' }).locator('.badge').first().innerText()).to.equal('未启用');
    await shots.take(page, 'plugins-disabled-again');

    expect(problems, problems.join('\n')).to.deep.equal([]);
    const res = await page.goto(`${baseUrl}/union/`);
    expect(res!.status()).to.equal(404);
    expect(await page.locator('main h1').innerText()).to.equal('页面不存在');
    expect(await menuTabs(page)).to.not.include('工会');
    await shots.take(page, 'union-404');
    await context.close();
  });
});
