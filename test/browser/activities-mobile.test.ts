import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import { bearer } from '../helpers/harness';
import { clickAndWait, expectNoHorizontalOverflow, newContext, PHONE, signInAs, watchProblems, browserSuite } from '../helpers/browser';
import { employed } from '../helpers/activities';

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('browser: an employee’s activity path on a phone', function () {
  this.timeout(180_000);
  const suite = browserSuite({ employees: 40 });

  it('u_emp at 375 px: list, waitlist, promoted with a QR, signs up with an option, checks in with the venue code, gives feedback', async () => {
    const { baseUrl, world } = suite.live;
    const shots = suite.shots('activities-mobile');
    const staff = bearer(world.token('u_staff', ['employee', 'union_staff']));
    const now = Date.now();
    const create = async (body: Record<string, unknown>) => {
      const res = await world.api.post('/union/api/activities').set(staff).send(body).expect(201);
      await world.api.post(`/union/api/activities/${res.body.id}/publish`).set(staff).expect(200);
      return res.body as { id: number; options: Array<{ id: number }> };
    };
    const lecture = await create({
      title: '心理健康讲座',
      type: 'lecture',
      location: '三楼报告厅',
      capacity: 1,
      audience: { kind: 'employed' },
      startAt: iso(now + 48 * HOUR),
      endAt: iso(now + 50 * HOUR),
      registrationDeadline: iso(now + 24 * HOUR),
      description: '<p>主讲：<strong>李老师</strong></p>',
    });
    // Happening within the hour: its check-in window is already open, sign-up still is too.
    const sports = await create({
      title: '趣味运动会',
      type: 'sports',
      location: '东区操场',
      capacity: 30,
      optionLimit: 1,
      options: [{ name: '跳绳', capacity: 10 }, { name: '拔河' }],
      audience: { kind: 'employed' },
      startAt: iso(now + 0.5 * HOUR),
      endAt: iso(now + 3 * HOUR),
      registrationDeadline: iso(now + 0.4 * HOUR),
    });
    const [other] = await employed(world, 1);
    await world.api
      .post(`/union/api/activities/${lecture.id}/registrations`)
      .set(bearer(world.token(other)))
      .send({})
      .expect(201);

    const phone = await newContext(suite.browser, PHONE);
    const emp = await phone.newPage();
    const problems = watchProblems(emp);
    await signInAs(emp, baseUrl, 'u_emp', '/union/activities');
    expect(new URL(emp.url()).pathname).to.equal('/union/activities');
    expect(await emp.locator('[data-testid="activity-card"]').count()).to.equal(2);
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'list');

    // The lecture is full: u_emp joins the waitlist.
    await clickAndWait(
      emp,
      emp.locator('[data-testid="activity-card"]', { hasText: '心理健康讲座' }).locator('[data-testid="open-activity"]'),
    );
    expect(await emp.locator('[data-testid="register"]').innerText()).to.contain('候补');
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'lecture-full');
    await clickAndWait(emp, emp.locator('[data-testid="register"]'));
    expect(await emp.locator('.union-flash').innerText()).to.contain('候补第 1 位');
    expect((await emp.locator('[data-testid="my-status"]').innerText()).trim()).to.equal('候补中');
    await shots.take(emp, 'waitlisted');

    // Someone cancels: u_emp moves up and is told.
    await world.api
      .delete(`/union/api/activities/${lecture.id}/registrations/me`)
      .set(bearer(world.token(other)))
      .expect(200);
    await emp.reload();
    expect((await emp.locator('[data-testid="my-status"]').innerText()).trim()).to.equal('已报名');
    await emp.locator('[data-testid="my-qr"] img').waitFor();
    expect(await emp.locator('[data-testid="my-qr"] img').evaluate((img: HTMLImageElement) => img.naturalWidth)).to.be.above(0);
    expect(world.notify.calledWithMatch({ to: ['u_emp'], template: 'union.activity.promoted' })).to.equal(true);
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'promoted-with-qr');

    // The sports day: choose an option and sign up.
    await emp.goto(`${baseUrl}/union/activities/${sports.id}`);
    await emp.locator('input[name="options"]').first().check();
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'sports-choose');
    await clickAndWait(emp, emp.locator('[data-testid="register"]'));
    expect((await emp.locator('[data-testid="my-status"]').innerText()).trim()).to.equal('已报名');
    await shots.take(emp, 'sports-registered');

    // At the venue: the phone camera opens the venue's code; one tap checks in.
    const venue = (await world.api.get(`/union/api/activities/${sports.id}/venue-code`).set(staff).expect(200)).body;
    await emp.goto(venue.url.replace(/^https?:\/\/[^/]+/, baseUrl));
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'venue-checkin');
    await clickAndWait(emp, emp.locator('[data-testid="checkin"]'));
    expect((await emp.locator('[data-testid="my-status"]').innerText()).trim()).to.equal('已签到');
    const row = await world.db('union_activity_registrations').where({ activity_id: sports.id, employee_id: 'u_emp' }).first();
    expect(row.checkin_method).to.equal('venue');
    await shots.take(emp, 'checked-in');

    // Afterwards: a score and a suggestion, once.
    await emp.locator('[data-testid="score"]').selectOption('5');
    await emp.locator('[data-testid="feedback"] textarea[name="suggestion"]').fill('希望每季度办一次');
    await clickAndWait(emp, emp.locator('[data-testid="send-feedback"]'));
    await emp.locator('[data-testid="feedback-given"]').waitFor();
    expect(await emp.locator('[data-testid="feedback"]').count()).to.equal(0);
    const stats = (await world.api.get(`/union/api/activities/${sports.id}/stats`).set(staff).expect(200)).body;
    expect(stats).to.include({ registered: 1, attended: 1, averageScore: 5 });
    await expectNoHorizontalOverflow(emp);
    await shots.take(emp, 'feedback-given');

    expect(problems, problems.join('\n')).to.deep.equal([]);
    await phone.close();
  });

  it('u_staff at 375 px: picks a poster, sees it before sending, is told by field what is wrong, then uploads it', async () => {
    const { baseUrl, world } = suite.live;
    const shots = suite.shots('activities-poster');
    const staff = bearer(world.token('u_staff', ['employee', 'union_staff']));
    const now = Date.now();
    const res = await world.api
      .post('/union/api/activities')
      .set(staff)
      .send({
        title: '登山',
        type: 'outdoor',
        location: '凤凰山',
        capacity: 20,
        startAt: iso(now + 72 * HOUR),
        endAt: iso(now + 76 * HOUR),
        registrationDeadline: iso(now + 48 * HOUR),
      })
      .expect(201);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poster-'));
    const good = path.join(dir, 'poster.png');
    fs.writeFileSync(
      good,
      await sharp({ create: { width: 600, height: 800, channels: 3, background: '#2a9d8f' } })
        .png()
        .toBuffer(),
    );
    const bad = path.join(dir, 'notes.png');
    fs.writeFileSync(bad, 'not a picture at all');

    const phone = await newContext(suite.browser, PHONE);
    const page = await phone.newPage();
    const problems = watchProblems(page);
    await signInAs(page, baseUrl, 'u_staff', `/union/activities/manage/${res.body.id}`);
    await page.locator('[data-testid="no-poster"]').waitFor();
    await expectNoHorizontalOverflow(page);

    await page.locator('input[name="poster"]').setInputFiles(bad);
    await clickAndWait(page, page.locator('[data-testid="upload-poster"]'));
    expect(await page.locator('[data-testid="poster-error"]').innerText())
      .to.contain('海报')
      .and.contain('不是图片');
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'refused');

    await page.locator('input[name="poster"]').setInputFiles(good);
    await page.waitForFunction(() => (document.getElementById('poster-preview') as HTMLImageElement | null)?.src.startsWith('data:image/'));
    await shots.take(page, 'preview');
    await clickAndWait(page, page.locator('[data-testid="upload-poster"]'));
    expect(await page.locator('.union-flash').innerText()).to.contain('海报已上传');
    const preview = page.locator('[data-testid="poster-preview"]');
    expect(await preview.getAttribute('src')).to.match(/^\/union\/api\/activities\/\d+\/poster\?v=\d+$/);
    await page.waitForFunction(() => (document.getElementById('poster-preview') as HTMLImageElement | null)?.naturalWidth === 600);
    await expectNoHorizontalOverflow(page);
    await shots.take(page, 'uploaded');
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await phone.close();
  });
});
