import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** After 工会 is disabled, its pages answer 404 in Chinese, saying the module may be switched off. */
describe('404 pages read in Chinese', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());

  it('a union page after disabling says so in zh-CN; the API answers JSON', async () => {
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    await w.host.plugins.disable('union');
    const page = await w.api.get('/union/members').set(chair).expect(404);
    expect(page.text).to.include('页面不存在').and.include('工会模块可能已被管理员停用').and.not.include('Nothing at');
    const api = await w.api.get('/union/api/members').set(chair).expect(404);
    expect(api.body.error.code).to.equal('not_found');
  });

  it("inside the module, a missing page is the module's own zh-CN 404", async () => {
    await w.host.plugins.enable('union');
    const page = await w.api
      .get('/union/members/nobody-here')
      .set(bearer(w.token('u_chair', ['employee', 'union_chair'])))
      .expect(404);
    expect(page.text)
      .to.include('页面不存在，或您无权查看')
      .and.not.match(/Nothing at|not found/i);
  });
});
