import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** 再次提醒 respects a waiting period after the invitation and after each reminder, and the page says when. */
describe('reminders: a waiting period between invitation and reminder', () => {
  let w: World;
  afterEach(async () => w.close());
  const staff = (w: World) => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const remind = async (w: World) => (await w.api.post('/union/api/invitations/remind').set(staff(w)).send({}).expect(200)).body.reminded;

  it('reminds nobody within 3 days of the invitation, everyone after, then waits 3 days again', async () => {
    w = await makeWorld();
    const sent = (await w.api.post('/union/api/invitations').set(staff(w)).send({ all: true, departmentId: 'D01' }).expect(201)).body
      .invited;
    expect(sent).to.be.greaterThan(0);
    expect(await remind(w)).to.equal(0);
    const page = await w.api.get('/union/invitations').set(staff(w)).expect(200);
    // The page names the wait and the moment the next reminder is allowed (10:00 Shanghai + 3 days).
    expect(page.text).to.include('两次提醒至少间隔 3 天').and.include('2026-11-26 10:00');
    expect(page.text).to.include(`提醒未响应的 0 人`);
    w.clock.tick(3 * 86400_000 - 60_000);
    expect(await remind(w)).to.equal(0);
    w.clock.tick(60_000);
    expect(await remind(w)).to.equal(sent);
    const rows = await w.db('union_invitations').where({ status: 'sent' }).select('reminders');
    expect(rows.every((r) => r.reminders === 1)).to.equal(true);
    expect(await remind(w)).to.equal(0);
    expect(await w.db('union_audit').where({ action: 'invitation.remind' }).count({ n: '*' }).first()).to.deep.include({ n: sent });
  });

  it('the waiting period is a setting', async () => {
    w = await makeWorld({ settings: { reminderWaitDays: 0 } });
    const sent = (await w.api.post('/union/api/invitations').set(staff(w)).send({ all: true, departmentId: 'D01' }).expect(201)).body
      .invited;
    expect(await remind(w)).to.equal(sent);
  });

  it('invite-all and remind ask for confirmation with the count', async () => {
    w = await makeWorld();
    const page = await w.api.get('/union/invitations?departmentId=D01').set(staff(w)).expect(200);
    const total = Number(/共 (\d+) 人/.exec(page.text)![1]);
    expect(total).to.be.greaterThan(0);
    expect(page.text).to.include(`data-confirm="将向 ${total} 人发送入会邀请，确定吗？"`).and.include(`邀请筛选出的全部 ${total} 人`);
  });
});
