import { expect } from 'chai';
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

describe('browser: a delegate votes and submits a motion on a phone', function () {
  this.timeout(180_000);
  const suite = browserSuite({ employees: 40 });

  it('u_emp, a present delegate, taps 赞成 once at 375 px, cannot vote twice, and submits a motion with the name withheld', async () => {
    const { baseUrl, world } = suite.live;
    const shots = suite.shots('congress-mobile');
    const chair = bearer(world.token('u_chair', ['employee', 'union_chair']));
    const others = (await world
      .db('host_employees')
      .where({ status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .limit(2)
      .pluck('id')) as string[];
    const delegates = ['u_emp', ...others];
    const id = (
      await world.api
        .post('/union/api/congress/sessions')
        .set(chair)
        .send({
          title: '第五届职工代表大会第二次会议',
          delegates,
          term: '第五届',
          agenda: ['审议《薪酬分配方案》', '听取提案办理情况报告'],
        })
        .expect(201)
    ).body.id as number;
    // The chair runs the session from a phone: ticks who is present (not enough at first), opens the vote.
    const chairCtx = await newContext(suite.browser, PHONE);
    const chairPage = await chairCtx.newPage();
    const chairProblems = watchProblems(chairPage);
    await signInAs(chairPage, baseUrl, 'u_chair', '/union/congress/manage');
    await chairPage.goto(`${baseUrl}/union/congress/manage?session=${id}`);
    await chairPage.locator('[data-testid="present-u_emp"]').check();
    await clickAndWait(chairPage, chairPage.locator('[data-testid="save-attendance"]'));
    await chairPage.locator('[data-testid="vote-subject"]').fill('审议《薪酬分配方案》');
    await clickAndWait(chairPage, chairPage.locator('[data-testid="open-vote"]'));
    expect(await chairPage.locator('.union-flash').first().innerText()).to.contain('三分之二');
    for (const p of others) await chairPage.locator(`[data-testid="present-${p}"]`).check();
    await clickAndWait(chairPage, chairPage.locator('[data-testid="save-attendance"]'));
    expect((await chairPage.locator('[data-testid="manage-attendance"]').innerText()).trim()).to.equal('应到 3 人，实到 3 人');
    await chairPage.locator('[data-testid="vote-subject"]').fill('审议《薪酬分配方案》');
    await clickAndWait(chairPage, chairPage.locator('[data-testid="open-vote"]'));
    const voteId = (await world.db('union_congress_votes').where({ session_id: id }).first('id')).id as number;
    await expectNoHorizontalOverflow(chairPage);
    await shots.take(chairPage, 'chair-run');

    const ctx = await newContext(suite.browser, PHONE);
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await signInAs(page, baseUrl, 'u_emp', '/union/congress');
    await page.goto(`${baseUrl}/union/congress`);
    await page.locator(`[data-testid="session-${id}"]`).waitFor();
    await expectCjkFont(page, '.union-title');
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'sessions');

    await clickAndWait(page, page.locator(`[data-testid="session-${id}"]`));
    await page.locator(`[data-testid="choice-for-${voteId}"]`).waitFor();
    expect((await page.locator('[data-testid="attendance"]').innerText()).trim()).to.equal('应到 3 人，实到 3 人');
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'ballot');
    await clickAndWait(page, page.locator(`[data-testid="choice-for-${voteId}"]`));
    await page.locator(`[data-testid="voted-${voteId}"]`).waitFor();
    expect(await page.locator(`[data-testid="choice-for-${voteId}"]`).count()).to.equal(0);
    expect(await page.locator('.union-flash').first().innerText()).to.contain('已投票');
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'voted');
    expect(await world.db('union_congress_tallies').where({ vote_id: voteId, choice: 'for' }).first('count')).to.deep.equal({ count: 1 });
    expect(await world.db('union_congress_voters').where({ vote_id: voteId }).select('delegate_id', 'choice')).to.deep.equal([
      { delegate_id: 'u_emp', choice: null },
    ]);

    await page.locator('[data-testid="motion-title"]').fill('夜班食堂延长供餐');
    await page.locator('[data-testid="motion-content"]').fill('夜班职工凌晨无热餐。\n建议食堂供应至凌晨两点。');
    await page.locator('[data-testid="motion-withhold"]').check();
    await shots.take(page, 'motion-form');
    await clickAndWait(page, page.locator('[data-testid="submit-motion"]'));
    const motionId = Number(/\/union\/congress\/motions\/(\d+)/.exec(page.url())![1]);
    expect((await page.locator('[data-testid="motion-status"]').innerText()).trim()).to.equal('已提交');
    expect(await page.locator('[data-testid="motion-content"]').innerText()).to.equal('夜班职工凌晨无热餐。\n建议食堂供应至凌晨两点。');
    expect(await world.db('union_congress_motions').where({ id: motionId }).first()).to.include({
      proposer_id: 'u_emp',
      status: 'submitted',
      withhold_name: 1,
    });
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'motion');

    // The chair sees the turnout (never the choices) and closes the vote; the delegate reads the result.
    await chairPage.reload();
    expect(await chairPage.locator(`[data-testid="turnout-${voteId}"]`).innerText()).to.equal('已投 1 / 出席 3');
    await shots.take(chairPage, 'chair-live');
    await clickAndWait(chairPage, chairPage.locator(`[data-testid="close-vote-${voteId}"]`));
    expect(await world.db('union_congress_votes').where({ id: voteId }).first()).to.include({ status: 'closed', for_count: 1, passed: 0 });
    await page.goto(`${baseUrl}/union/congress/sessions/${id}`);
    expect(await page.locator(`[data-testid="vote-result-${voteId}"]`).innerText())
      .to.contain('赞成 1')
      .and.to.contain('未通过');
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'result');

    expect([...problems, ...chairProblems], [...problems, ...chairProblems].join('\n')).to.deep.equal([]);
    await ctx.close();
    await chairCtx.close();
  });
});
