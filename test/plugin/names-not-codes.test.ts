import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Pages say who and how in words: names for people, words for sources and system actors, the host's 工号. */
describe('pages show names, not codes', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());
  const chair = (w: World) => bearer(w.token('u_chair', ['employee', 'union_chair']));

  it("the member detail shows the host's employee number, the actor's name and the source in words", async () => {
    const { body } = await w.api
      .post('/union/api/join-applications')
      .set(bearer(w.token('u_emp')))
      .send({ consent: true })
      .expect(201);
    await w.api.post(`/union/api/join-applications/${body.id}/approve`).set(chair(w)).expect(200);
    const emp = await w.db('host_employees').where({ id: 'u_emp' }).first('employee_no');
    const page = await w.api.get('/union/members/u_emp').set(chair(w)).expect(200);
    const text = page.text.slice(page.text.indexOf('union-main')).replace(/<[^>]+>/g, ' ');
    expect(page.text).to.match(new RegExp(`data-testid="employee-no">${emp.employee_no}<`));
    expect(text).to.include('张志强').and.include('工会办理').and.include('本人申请');
    expect(text).to.not.match(/\bu_(emp|chair)\b/);
    expect(text).to.not.include('application.approve').and.not.include('membership.join').and.not.include('工会干事');
  });

  it('the sync page shows the trigger and state in words, under the right headers, and system actors by name', async () => {
    await w.api
      .post('/union/api/sync/runs')
      .set(bearer(w.token('u_chair', ['employee', 'union_chair'])))
      .expect(201);
    const page = await w.api.get('/union/sync').set(chair(w)).expect(200);
    const text = page.text.slice(page.text.indexOf('union-main')).replace(/<[^>]+>/g, ' ');
    expect(text).to.include('手动同步').and.include('启用时初始化').and.include('已完成').and.include('运行状态');
    expect(text).to.not.match(/\b(button|install|done)\b/);
    expect(text).to.not.include('system:install');
  });
});
