import { expect } from 'chai';
import { createPlan, recordPayments } from '../../plugin/services/care/welfare';
import { bearer } from '../helpers/harness';
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
  const suite = browserSuite({ employees: 20, settings: { assistance: { handlerIds: ['u_staff'] } } }, async (live) => {
    const ctx = live.world.plugin.ctx;
    const staff = { id: 'u_staff', kind: 'user' as const };
    const plan = await createPlan(ctx, staff, {
      name: '冬季送温暖',
      amount: 200,
      cycle: 'monthly',
      startsOn: '2026-01-01',
      audience: 'all_members',
    });
    await recordPayments(ctx, staff, { planId: plan.id, period: ctx.today().slice(0, 7), employeeIds: ['u_emp', 'u_chair'] });
  });

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

  it('u_staff handles a case on a phone (accept, verify with the family’s consent) and reads where the money went', async () => {
    const { baseUrl, world } = suite.live;
    const shots = suite.shots('assistance-staff-mobile');
    const applied = await world.api
      .post('/union/api/assistance-cases')
      .set(bearer(world.token('E000002')))
      .send({ category: 'work_injury', description: '工伤后康复，收入减少' })
      .expect(201);
    const id = applied.body.id as number;
    const phone = await newContext(suite.browser, PHONE);
    const staff = await phone.newPage();
    const problems = watchProblems(staff);
    await signInAs(staff, baseUrl, 'u_staff', '/union/assistance/inbox');
    await staff.goto(`${baseUrl}/union/assistance/inbox`);
    await staff.locator(`[data-testid="inbox-${id}"]`).waitFor();
    await expectNoHorizontalOverflow(staff);
    await shots.take(staff, 'inbox');
    await clickAndWait(staff, staff.locator(`[data-testid="inbox-${id}"]`));
    await clickAndWait(staff, staff.locator('[data-testid="accept"]'));
    expect((await staff.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已受理');
    await staff.locator('[data-testid="visit-on"]').fill(new Date().toISOString().slice(0, 10));
    await staff.locator('[data-testid="visit-note"]').fill('入户走访，情况属实');
    // Without the family's consent the visit is refused and the case stays where it was.
    await clickAndWait(staff, staff.locator('[data-testid="verify"]'));
    expect((await staff.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已受理');
    expect(await staff.locator('.union-flash.error').innerText()).to.contain('征得家庭同意');
    await staff.locator('[data-testid="visit-on"]').fill(new Date().toISOString().slice(0, 10));
    await staff.locator('[data-testid="visit-note"]').fill('入户走访，情况属实');
    await staff.locator('[data-testid="family-consent"]').check();
    await clickAndWait(staff, staff.locator('[data-testid="verify"]'));
    expect((await staff.locator('[data-testid="case-status"]').innerText()).trim()).to.equal('已核实');
    expect(await staff.locator('[data-testid="case-history"]').innerText()).to.contain('入户走访，情况属实');
    await expectNoHorizontalOverflow(staff);
    await shots.take(staff, 'verified');

    // The chair records the committee's grant; a colleague reads the public notice on a phone and objects.
    await world.api
      .post(`/union/api/assistance-cases/${id}/decide`)
      .set(bearer(world.token('u_chair', ['employee', 'union_chair'])))
      .send({ decision: 'grant', kind: 'cash', amount: 2000, grade: 'relative' })
      .expect(200);
    const peerPhone = await newContext(suite.browser, PHONE);
    const peer = await peerPhone.newPage();
    const peerProblems = watchProblems(peer);
    await signInAs(peer, baseUrl, 'u_emp', '/union/assistance/notices');
    await peer.goto(`${baseUrl}/union/assistance/notices`);
    const notice = peer.locator(`[data-testid="notice-${id}"]`);
    const shown = await notice.innerText();
    const name = (await world.db('host_employees').where({ id: 'E000002' }).first()).name as string;
    expect(shown)
      .to.contain(`${[...name][0]}*`)
      .and.contain('¥2000.00')
      .and.contain('工伤恢复');
    expect(shown).not.to.contain(name).and.not.contain('收入减少').and.not.contain('入户');
    await expectNoHorizontalOverflow(peer);
    await shots.take(peer, 'public-notice');
    await notice.locator('textarea').fill('据了解其配偶收入较高');
    await clickAndWait(peer, notice.locator('button[type="submit"]'));
    expect(await peer.locator('.union-flash').innerText()).to.contain('异议已提交');
    expect(await world.db('union_assistance_objections').where({ case_id: id })).to.have.length(1);
    expect(peerProblems).to.deep.equal([]);
    await peerPhone.close();

    await staff.goto(`${baseUrl}/union/care/spending`);
    await staff.locator('[data-testid="spending-plans"] svg').waitFor();
    expect(await staff.locator('[data-testid="spending-plans"]').innerText()).to.contain('冬季送温暖');
    expect(await staff.locator('[data-testid="spending-groups"] svg').count()).to.equal(1);
    await expectNoHorizontalOverflow(staff);
    await shots.take(staff, 'spending');
    expect(problems.filter((p) => !p.includes('400'))).to.deep.equal([]);
    await phone.close();
  });
});
