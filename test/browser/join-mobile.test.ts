import { expect } from 'chai';
import {
  clickAndWait,
  DESKTOP,
  expectCjkFont,
  expectNoHorizontalOverflow,
  menuTabs,
  newContext,
  PHONE,
  signInAs,
  watchProblems,
  browserSuite,
} from '../helpers/browser';

describe('browser: an employee applies to join on a phone, union staff approve', function () {
  this.timeout(120_000);
  const suite = browserSuite({ employees: 40 });

  it('u_emp applies at 375 px; u_staff approves on a desktop; u_emp then sees the number and 生效', async () => {
    const { baseUrl } = suite.live;
    const shots = suite.shots('join-mobile');

    // The employee, on a phone.
    const phone = await newContext(suite.browser, PHONE);
    const emp = await phone.newPage();
    const empProblems = watchProblems(emp);
    await signInAs(emp, baseUrl, 'u_emp');
    expect(await menuTabs(emp))
      .to.include('工会')
      .and.not.include('插件管理');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'employee-home');

    await clickAndWait(emp, emp.locator('header.topbar nav a', { hasText: '工会' }));
    const card = emp.locator('[data-testid="membership-card"]');
    await card.waitFor();
    expect(await card.innerText()).to.contain('您还不是工会会员');
    await expectCjkFont(emp, '.union-title');
    expect(await emp.locator('[data-testid="member-no"]').count()).to.equal(0);
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'not-a-member');

    await clickAndWait(emp, emp.locator('[data-testid="apply-link"]'));
    expect(new URL(emp.url()).pathname).to.equal('/union/join');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'join-form');

    // Submitting without the voluntary consent is refused by the browser itself (the box is required), nothing is filed.
    await emp.locator('[data-testid="submit-application"]').click();
    expect(await emp.locator('[data-testid="consent"]:invalid').count()).to.equal(1);
    expect(new URL(emp.url()).pathname).to.equal('/union/join');
    const filed = await suite.live.world.db('union_join_applications').count({ n: '*' }).first();
    expect(Number(filed!.n)).to.equal(0);
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'join-consent-required');

    await emp.locator('[data-testid="consent"]').check();
    expect(await emp.locator('[data-testid="consent"]').isChecked()).to.equal(true);
    await shots.take(emp, 'join-consent-ticked');
    await clickAndWait(emp, emp.locator('[data-testid="submit-application"]'));
    expect(new URL(emp.url()).pathname).to.equal('/union/');
    await emp.locator('[data-testid="application-pending"]').waitFor();
    expect(await emp.locator('[data-testid="apply-link"]').count()).to.equal(0);
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'application-pending');

    // Union staff, at a desk.
    const desk = await newContext(suite.browser, DESKTOP);
    const staff = await desk.newPage();
    const staffProblems = watchProblems(staff);
    await signInAs(staff, baseUrl, 'u_staff');
    await clickAndWait(staff, staff.locator('header.topbar nav a', { hasText: '工会' }));
    await clickAndWait(staff, staff.locator('nav a', { hasText: '入会审批' }).first());
    expect(new URL(staff.url()).pathname).to.equal('/union/applications');
    await staff.locator('[data-testid="application-u_emp"]').waitFor();
    expect(await staff.locator('[data-testid="application-u_emp"]').innerText()).to.contain('王小明');
    await shots.take(staff, 'staff-applications');

    await clickAndWait(staff, staff.locator('[data-testid="approve-u_emp"]'));
    const flash = staff.locator('.union-flash', { hasText: /GH2026\d{4}/ });
    await flash.waitFor();
    const memberNo = /GH2026\d{4}/.exec(await flash.innerText())![0];
    expect(await staff.locator('[data-testid="approve-u_emp"]').count()).to.equal(0);
    await shots.take(staff, 'staff-approved');

    // The employee reloads and is a member.
    await emp.reload();
    await emp.locator('[data-testid="member-no"]').waitFor();
    expect((await emp.locator('[data-testid="member-no"]').innerText()).trim()).to.equal(memberNo);
    expect((await emp.locator('[data-testid="member-status"]').innerText()).trim()).to.equal('生效');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'member');

    expect([...empProblems, ...staffProblems], [...empProblems, ...staffProblems].join('\n')).to.deep.equal([]);
    await phone.close();
    await desk.close();
  });
});
