import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { seedUnionDemo } from '../../examples/host/seed-union';
import { bearer } from '../helpers/harness';
import { browserSuite, clickAndWait, DESKTOP, newContext, PHONE, signInAs, watchProblems, type Shots } from '../helpers/browser';

/** Text that is an i18n key left unresolved, e.g. `members.fields.name`. */
const I18N_KEY = /\b(members|imports|common|export|errors)\.[a-z]/;
/** Raw ids where a name exists: employee ids (E000123, u_emp), system actors, audit action codes. */
const RAW_ID = /\bE\d{6}\b|\bu_(emp|staff|chair)\b|\b(event|job|import|system):[\w:]|\bmembership\.[a-z]|\bapplication\.[a-z]/;
// The README's phone screenshots are refreshed only when asked (UPDATE_DOCS=1), so a test run leaves the tree clean.
const DOCS = process.env.UPDATE_DOCS
  ? path.resolve(__dirname, '..', '..', 'docs')
  : path.resolve(__dirname, '..', '..', 'test-artifacts', 'docs');

/** Checks a page as its reader sees it: words, not keys or ids, and nothing wider than the screen. */
async function check(page: Page, shots: Shots, step: string): Promise<void> {
  await page.locator('body').waitFor();
  await shots.take(page, step);
  const { text, scrollWidth, innerWidth, url } = await page.evaluate(() => ({
    text: (document.querySelector('.union-main') ?? document.querySelector('main') ?? document.body).textContent ?? '',
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    url: location.pathname,
  }));
  expect(text, `${url} shows an i18n key`).to.not.match(I18N_KEY);
  expect(text, `${url} shows a raw id`).to.not.match(RAW_ID);
  expect(scrollWidth, `${url} scrolls sideways (${scrollWidth} > ${innerWidth})`).to.be.at.most(innerWidth);
}

async function visit(page: Page, baseUrl: string, shots: Shots, href: string, step: string): Promise<void> {
  const res = await page.goto(`${baseUrl}${href}`);
  expect(res!.status(), href).to.equal(200);
  await check(page, shots, step);
}

describe('browser: each role walks its path at 375 px and 1280 px in the seeded demo', function () {
  this.timeout(300_000);
  const suite = browserSuite({ employees: 200 }, async (live) => {
    await seedUnionDemo(live.world.db, live.world.plugin);
  });
  const sizes = [
    { name: 'phone', size: PHONE },
    { name: 'desktop', size: DESKTOP },
  ] as const;

  for (const { name, size } of sizes) {
    it(`${name}: the employee applies, is approved, reads the message and sees the membership`, async () => {
      const { baseUrl, world: w } = suite.live;
      const shots = suite.shots(`roles-${name}-employee`);
      const ctx = await newContext(suite.browser, size);
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await signInAs(page, baseUrl, 'u_emp', '/union/');
      await check(page, shots, 'home');
      if (name === 'phone') {
        await page.goto(`${baseUrl}/union/join`);
        await check(page, shots, 'join');
        // The browser itself refuses the form without the consent box.
        await page.locator('[data-testid="submit-application"]').click();
        expect(await page.locator('[data-testid="consent"]:invalid').count()).to.equal(1);
        await page.locator('[data-testid="consent"]').check();
        await clickAndWait(page, page.locator('[data-testid="submit-application"]'));
        const app = await w.db('union_join_applications').where({ employee_id: 'u_emp', status: 'submitted' }).first('id');
        await w.api
          .post(`/union/api/join-applications/${app.id}/approve`)
          .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
          .expect(200);
      }
      await visit(page, baseUrl, shots, '/union/', 'member-home');
      expect(await page.locator('[data-testid="member-no"]').innerText()).to.match(/^GH\d{8}$/);
      if (name === 'phone') await page.screenshot({ path: path.join(DOCS, 'phone-member-home.png') });
      await visit(page, baseUrl, shots, '/inbox', 'message');
      const notice = page.locator('[data-testid="notice"]').first();
      expect(await notice.innerText())
        .to.include('欢迎加入工会')
        .and.match(/GH\d{8}/);
      expect(await notice.locator('a').getAttribute('href')).to.equal('/union/');
      if (name === 'phone') await page.screenshot({ path: path.join(DOCS, 'phone-message.png') });
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await ctx.close();
    });

    it(`${name}: the staff member works the ledger, approvals, invitations (confirmed with the count) and imports`, async () => {
      const { baseUrl } = suite.live;
      const shots = suite.shots(`roles-${name}-staff`);
      const ctx = await newContext(suite.browser, size);
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await signInAs(page, baseUrl, 'u_staff', '/union/members');
      await check(page, shots, 'ledger');
      // One row of header: the top bar is no taller than one line of its menu.
      const bar = await page.locator('header.topbar').boundingBox();
      expect(bar!.height, 'header height').to.be.at.most(60);
      expect(await page.locator('[data-testid="list-total"]').innerText()).to.match(/^共 \d+ 人$/);
      if (name === 'phone') {
        // Cards, not a table: the header row is hidden, filters fold behind the search box.
        expect(await page.locator('[data-testid="member-table"] thead').isVisible()).to.equal(false);
        expect(await page.locator('details.fold').getAttribute('open')).to.equal(null);
        await page.screenshot({ path: path.join(DOCS, 'phone-ledger.png') });
      } else {
        expect(await page.locator('[data-testid="member-table"] thead').isVisible()).to.equal(true);
      }
      await clickAndWait(page, page.locator('[data-testid="member-table"] tbody a').first());
      await check(page, shots, 'member-detail');
      await visit(page, baseUrl, shots, '/union/applications', 'applications');
      await visit(page, baseUrl, shots, '/union/invitations', 'invitations');
      // Ticking people updates the batch bar's count; invite-all asks first with the count.
      await page.locator('input[name="employeeIds"]').nth(0).check();
      await page.locator('input[name="employeeIds"]').nth(1).check();
      expect(await page.locator('[data-batch-count]').innerText()).to.equal('已选 2 人');
      await page.locator('[data-testid="invite-all"]').click();
      const dialog = page.locator('dialog#union-confirm');
      await dialog.waitFor({ state: 'visible' });
      expect(await dialog.innerText()).to.match(/将向 \d+ 人发送入会邀请/);
      await shots.take(page, 'confirm-invite-all');
      await dialog.locator('button[value="cancel"]').click();
      await visit(page, baseUrl, shots, '/union/imports', 'imports');
      await visit(page, baseUrl, shots, '/inbox', 'inbox');
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await ctx.close();
    });

    it(`${name}: the chair sees sync, coverage, orgs and a member's history in words`, async () => {
      const { baseUrl } = suite.live;
      const shots = suite.shots(`roles-${name}-chair`);
      const ctx = await newContext(suite.browser, size);
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await signInAs(page, baseUrl, 'u_chair', '/union/');
      await check(page, shots, 'home');
      await visit(page, baseUrl, shots, '/union/sync', 'sync');
      // The active sub-tab is on screen even when the bar scrolls.
      const box = await page.locator('nav.subnav a.active').boundingBox();
      expect(box!.x, 'active tab left edge').to.be.at.least(0);
      expect(box!.x + box!.width, 'active tab right edge').to.be.at.most(size.viewport.width);
      await clickAndWait(page, page.locator('[data-testid="sync-now"]'));
      await check(page, shots, 'sync-done');
      expect(await page.locator('[data-testid="sync-runs"]').innerText())
        .to.include('手动同步')
        .and.include('已完成');
      await visit(page, baseUrl, shots, '/union/coverage', 'coverage');
      await visit(page, baseUrl, shots, '/union/orgs', 'orgs');
      await visit(page, baseUrl, shots, '/union/members?status=retained', 'ledger-retained');
      await clickAndWait(page, page.locator('[data-testid="member-table"] tbody a').first());
      await check(page, shots, 'retained-detail');
      expect(await page.locator('[data-testid="history"]').innerText()).to.include('台账导入');
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await ctx.close();
    });
  }

  before(() => fs.mkdirSync(DOCS, { recursive: true }));
  after(() => expect(fs.existsSync(path.join(DOCS, 'phone-ledger.png'))).to.equal(true));
});
