import { expect } from 'chai';
import {
  clickAndWait,
  DESKTOP,
  expectNoHorizontalOverflow,
  newContext,
  PHONE,
  signInAs,
  signInBySearch,
  watchProblems,
  browserSuite,
} from '../helpers/browser';

describe("browser: HR hires and lets go; the person's 工会 tab follows", function () {
  this.timeout(120_000);
  const suite = browserSuite({ employees: 40 });

  it('a hire on the HR page makes a member with a number; the exit recorded today makes them 失效', async () => {
    const { baseUrl, world } = suite.live;
    const shots = suite.shots('hr-lifecycle');
    // "Today" as the module counts days (Asia/Shanghai), which is what makes a hire or an exit due.
    const today = world.plugin.ctx.today();

    // HR (the administrator) hires through the HR page.
    const desk = await newContext(suite.browser, DESKTOP);
    const hr = await desk.newPage();
    const hrProblems = watchProblems(hr);
    await signInAs(hr, baseUrl, 'admin');
    await clickAndWait(hr, hr.locator('header.topbar nav a', { hasText: '人事' }));
    expect(new URL(hr.url()).pathname).to.equal('/hr/employees');
    const hire = hr.locator('form[action="/hr/employees/hire"]');
    await hire.locator('input[name="name"]').fill('司马嘉怡');
    await hire.locator('select[name="departmentId"]').selectOption({ label: '研发中心' });
    await hire.locator('select[name="gender"]').selectOption('F');
    await hire.locator('input[name="birthDate"]').fill('1998-02-14');
    await hire.locator('input[name="hireDate"]').fill(today);
    await hire.locator('input[name="position"]').fill('测试工程师');
    await shots.take(hr, 'hr-hire-form');
    await clickAndWait(hr, hire.locator('button[type="submit"]'));
    const hired = hr.locator('.flash', { hasText: '已入职' });
    await hired.waitFor();
    const id = /（(E\d{6})）/.exec(await hired.innerText())?.[1];
    expect(id, await hired.innerText()).to.match(/^E\d{6}$/);
    await shots.take(hr, 'hr-hired');

    // The new person signs in on their phone by searching their id on the login page.
    const phone = await newContext(suite.browser, PHONE);
    const person = await phone.newPage();
    const personProblems = watchProblems(person);
    await signInBySearch(person, baseUrl, id!);
    await shots.take(person, 'person-signed-in');
    await clickAndWait(person, person.locator('header.topbar nav a', { hasText: '工会' }));
    await person.locator('[data-testid="member-no"]').waitFor();
    const memberNo = (await person.locator('[data-testid="member-no"]').innerText()).trim();
    expect(memberNo).to.match(/^GH2026\d{4}$/);
    expect((await person.locator('[data-testid="member-status"]').innerText()).trim()).to.equal('生效');
    expect(await person.locator('[data-testid="membership-card"]').innerText())
      .to.contain('司马嘉怡')
      .and.contain('研发中心');
    await expectNoHorizontalOverflow(person);
    await shots.take(person, 'person-member');

    // HR records the exit, effective today.
    await hr.goto(`${baseUrl}/hr/employees`);
    const exit = hr.locator('form[action="/hr/employees/exit"]');
    await exit.locator('input[name="id"]').fill(id!);
    await exit.locator('input[name="exitDate"]').fill(today);
    await exit.locator('input[name="reason"]').fill('个人原因');
    await shots.take(hr, 'hr-exit-form');
    await clickAndWait(hr, exit.locator('button[type="submit"]'));
    await hr.locator('.flash', { hasText: '已办理离职' }).waitFor();
    await shots.take(hr, 'hr-exited');

    // The person's page (their session from before the exit) now shows the membership as 失效, number kept.
    await person.reload();
    await person.locator('[data-testid="member-status"]').waitFor();
    expect((await person.locator('[data-testid="member-status"]').innerText()).trim()).to.equal('失效');
    expect(await person.locator('[data-testid="member-no"]').count()).to.equal(0);
    expect(await person.locator('[data-testid="membership-card"]').innerText())
      .to.contain(memberNo)
      .and.contain('您当前不在职');
    expect(await person.locator('[data-testid="apply-link"]').count()).to.equal(0);
    await expectNoHorizontalOverflow(person);
    await shots.take(person, 'person-expired');

    // Like a real SSO, the host closes the account of someone who left: signing in again is refused.
    await person.goto(`${baseUrl}/login?q=${id}`);
    await clickAndWait(person, person.locator(`form[action="/login"]:has(input[name="id"][value="${id}"]) button[type="submit"]`));
    await person.locator('.flash.error', { hasText: '已离职' }).waitFor();
    await shots.take(person, 'person-sign-in-refused');

    expect([...hrProblems, ...personProblems], [...hrProblems, ...personProblems].join('\n')).to.deep.equal([]);
    await phone.close();
    await desk.close();
  });
});
