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

describe('browser: an employee files a grievance on a phone and follows it to the end', function () {
  this.timeout(180_000);
  const suite = browserSuite({ employees: 40 });

  it('u_emp files at 375 px (hostile text stays text), u_staff handles it on a phone, u_emp rates it and it closes', async () => {
    const { baseUrl, world } = suite.live;
    const shots = suite.shots('grievance-mobile');
    const evil = '<img src=x onerror=alert(1)> 加班费少算了\n第二行';

    const empCtx = await newContext(suite.browser, PHONE);
    const emp = await empCtx.newPage();
    const empProblems = watchProblems(emp);
    await signInAs(emp, baseUrl, 'u_emp', '/union/grievances');
    await emp.goto(`${baseUrl}/union/grievances`);
    await emp.locator('[data-testid="grievance-new"]').waitFor();
    await expectCjkFont(emp, '.union-title');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'file-form');

    await emp.locator('[data-testid="category"]').selectOption('wages_benefits');
    await emp.locator('[data-testid="content"]').fill(evil);
    // Evidence in the same submission as the case (multipart; the CSRF token travels inside the body).
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    await emp.locator('[data-testid="files"]').setInputFiles({ name: '考勤.pdf', mimeType: 'application/pdf', buffer: pdf });
    await clickAndWait(emp, emp.locator('[data-testid="file-grievance"]'));
    const id = Number(/\/union\/grievances\/(\d+)/.exec(emp.url())![1]);
    expect((await emp.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已接收');
    expect(await emp.locator('[data-testid="case-content"]').innerText()).to.equal(evil);
    expect(await emp.locator('img[src="x"]').count()).to.equal(0);
    expect(await world.db('union_grievances').where({ id }).first()).to.include({ filer_id: 'u_emp', status: 'received' });
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'filed');

    // More evidence through the case page's multipart form.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
    await emp.locator('[data-testid="evidence-file"]').setInputFiles({ name: '工资条.png', mimeType: 'image/png', buffer: png });
    await clickAndWait(emp, emp.locator('[data-testid="add-evidence"]'));
    expect(await emp.locator('[data-testid="case-files"]').innerText())
      .to.contain('考勤.pdf')
      .and.to.contain('工资条.png');

    // The union staff member, on a phone too: inbox, route, update, answer.
    const staffCtx = await newContext(suite.browser, PHONE);
    const staff = await staffCtx.newPage();
    const staffProblems = watchProblems(staff);
    await signInAs(staff, baseUrl, 'u_staff', '/union/grievances/inbox');
    await staff.goto(`${baseUrl}/union/grievances/inbox`);
    await staff.locator(`[data-testid="inbox-${id}"]`).waitFor();
    await expectNoHorizontalOverflow(staff);
    await shots.take(staff, 'staff-inbox');
    await clickAndWait(staff, staff.locator(`[data-testid="inbox-${id}"]`));
    await staff.locator('[data-testid="route-path"]').selectOption('coordinated');
    await clickAndWait(staff, staff.locator('[data-testid="route"]'));
    await staff.locator('[data-testid="update-note"]').fill('已与车间核对考勤');
    await clickAndWait(staff, staff.locator('[data-testid="update"]'));
    await expectNoHorizontalOverflow(staff);
    await shots.take(staff, 'staff-case');
    await staff.locator('[data-testid="outcome"]').selectOption('resolved');
    await staff.locator('[data-testid="resolve-note"]').fill('已补发加班费');
    await clickAndWait(staff, staff.locator('[data-testid="resolve"]'));
    expect((await staff.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已解决');

    // The employee follows the progress and rates the answer.
    await emp.reload();
    const history = await emp.locator('[data-testid="case-history"]').innerText();
    expect(history).to.contain('已与车间核对考勤').and.to.contain('已补发加班费');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'resolved');
    await emp.locator('[data-testid="evaluation"]').selectOption('satisfied');
    await clickAndWait(emp, emp.locator('[data-testid="follow-up"]'));
    expect((await emp.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已办结');
    await emp.locator('[data-testid="case-locked"]').waitFor();
    expect(await emp.locator('[data-testid="follow-up"]').count()).to.equal(0);
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'closed');
    expect(await world.db('union_grievances').where({ id }).first()).to.include({ status: 'closed', evaluation: 'satisfied' });

    await emp.goto(`${baseUrl}/union/grievances`);
    await emp.locator(`[data-testid="grievance-${id}"]`).waitFor();
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'my-list');

    // The chair's statistics page with its server-rendered charts, at phone width.
    const chairCtx = await newContext(suite.browser, PHONE);
    const chair = await chairCtx.newPage();
    const chairProblems = watchProblems(chair);
    await signInAs(chair, baseUrl, 'u_chair', '/union/grievances/stats');
    await chair.goto(`${baseUrl}/union/grievances/stats`);
    await chair.locator('[data-testid="chart-category"] svg').waitFor();
    await expectNoHorizontalOverflow(chair);
    await shots.take(chair, 'chair-stats');

    const problems = [...empProblems, ...staffProblems, ...chairProblems];
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await empCtx.close();
    await staffCtx.close();
    await chairCtx.close();
  });
});
