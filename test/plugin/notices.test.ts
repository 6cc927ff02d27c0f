import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Every notice the module sends reads as a message: title, body with the facts, a link; the host's inbox shows just that. */
describe('notices: readable messages with a link', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());
  const emp = (w: World) => bearer(w.token('u_emp'));
  const staff = (w: World) => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const sentWith = (w: World, template: string) => w.notify.getCalls().find((c) => c.args[0].template === template)?.args[0];

  it('a rejection tells the reason in words and links to 我的会籍', async () => {
    const { body } = await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true }).expect(201);
    await w.api.post(`/union/api/join-applications/${body.id}/reject`).set(staff(w)).send({ reason: '材料不全' }).expect(200);
    const n = sentWith(w, 'union.application.rejected')!;
    expect(n).to.include({ title: '入会申请未获批准', link: '/union/' });
    expect(n.body)
      .to.include('材料不全')
      .and.not.match(/\{reason\}/);
    expect(n.to).to.deep.equal(['u_emp']);
  });

  it('a batch invitation and its reminder carry a title, a body and the join link', async () => {
    await w.api.post('/union/api/invitations').set(staff(w)).send({ all: true, departmentId: 'D01' }).expect(201);
    const invited = sentWith(w, 'union.member.invited')!;
    expect(invited).to.include({ title: '邀请您加入工会', link: '/union/join' });
    expect(invited.body).to.be.a('string').and.not.empty;
    w.clock.tick(4 * 86400_000);
    await w.api.post('/union/api/invitations/remind').set(staff(w)).send({}).expect(200);
    const reminded = sentWith(w, 'union.member.invitation_reminder')!;
    expect(reminded).to.include({ title: '提醒：工会邀请您加入', link: '/union/join' });
  });

  it("the host's inbox shows title, body and link in Shanghai time, not the template or the payload", async () => {
    const { body } = await w.api.post('/union/api/join-applications').set(emp(w)).send({ consent: true }).expect(201);
    await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(staff(w)).expect(200);
    const page = await w.api.get('/inbox').set(emp(w)).expect(200);
    expect(page.text).to.include('欢迎加入工会').and.include('GH20260001').and.include('href="/union/"');
    // 02:00 UTC is 10:00 in Shanghai.
    expect(page.text).to.include('2026-11-23 10:00');
    expect(page.text).to.not.include('union.member.joined').and.not.include('UTC').and.not.include('&quot;memberNo&quot;');
  });
});
