import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import type { HostApp } from '../../examples/host/app';
import { brokenSource, fakeSource, type FakeRecord } from './fake-plugin';
import { ADMIN, STAFF, bearer, resetHostTables, testDb, testHost } from './helpers';

describe('reference host: plugin manager', () => {
  let db: Knex;
  let record: FakeRecord;
  const hosts: HostApp[] = [];
  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const h = await testHost(db, { plugins: [fakeSource(record), brokenSource()], env });
    hosts.push(h);
    return h;
  };

  before(() => (db = testDb()));
  beforeEach(async () => {
    await resetHostTables(db, 20);
    record = { calls: [], settings: [], events: [] };
  });
  afterEach(async () => {
    while (hosts.length) await hosts.pop()!.close();
  });
  after(async () => {
    await resetHostTables(db, -1);
    await db.destroy();
  });

  it('lists plugins for admins only', async () => {
    const { app } = await start();
    expect((await request(app).get('/host/api/plugins')).status).to.equal(401);
    expect((await request(app).get('/host/api/plugins').set('Authorization', STAFF())).status).to.equal(403);
    expect((await request(app).post('/host/api/plugins/fake/enable').set('Authorization', STAFF())).status).to.equal(403);
    const res = await request(app).get('/host/api/plugins').set('Authorization', ADMIN());
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal([
      { id: 'fake', name: '工会', version: '9.9.9', enabled: false, installed: false },
      { id: 'broken', name: 'broken', version: '', enabled: false, installed: false },
    ]);
  });

  it('enables: installs, mounts, shows the tab, and remembers it', async () => {
    const { app } = await start();
    const res = await request(app).post('/host/api/plugins/fake/enable').set('Authorization', ADMIN());
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ id: 'fake', name: '工会', version: '9.9.9', enabled: true, installed: true });
    expect(record.calls).to.deep.equal(['install', 'enable']);
    expect(await db('host_plugins').where({ id: 'fake' }).first('enabled', 'installed')).to.deep.equal({ enabled: 1, installed: 1 });

    const ping = await request(app).get('/fake/api/ping?x=1');
    expect(ping.body).to.deep.equal({ baseUrl: '/fake', url: '/api/ping?x=1' });
    const home = await request(app)
      .get('/')
      .set('Authorization', bearer('u_emp', ['employee']));
    expect(home.text).to.include('<a href="/fake/" class="">工会</a>');
  });

  it('disables: the path falls through to the host 404, the tab and subscriptions go, the install stays', async () => {
    const { app, bus } = await start();
    await request(app).post('/host/api/plugins/fake/enable').set('Authorization', ADMIN());
    expect(bus.listenerCount('employee.hired')).to.equal(1);
    const res = await request(app).post('/host/api/plugins/fake/disable').set('Authorization', ADMIN());
    expect(res.body).to.include({ enabled: false, installed: true });
    expect(bus.listenerCount('employee.hired')).to.equal(0);
    const gone = await request(app).get('/fake/api/ping');
    expect(gone.status).to.equal(404);
    expect(gone.body.error.code).to.equal('not_found');
    expect((await request(app).get('/fake/').set('Authorization', ADMIN())).status).to.equal(404);
    const home = await request(app).get('/').set('Authorization', ADMIN());
    expect(home.text).to.not.include('/fake/');
  });

  it('re-enables at startup what was stored as enabled, on every instance', async () => {
    const first = await start();
    await request(first.app).post('/host/api/plugins/fake/enable').set('Authorization', ADMIN());
    const second = await start();
    expect(second.plugins.instance('fake')?.isEnabled()).to.equal(true);
    expect((await request(second.app).get('/fake/api/ping')).status).to.equal(200);

    // A change made through one instance reaches the other at its next reconcile.
    await request(first.app).post('/host/api/plugins/fake/disable').set('Authorization', ADMIN());
    await second.plugins.reconcile();
    expect((await request(second.app).get('/fake/api/ping')).status).to.equal(404);
  });

  it('hands the plugin its stored settings, with the webhook secret taken from the environment', async () => {
    await db('host_plugins').insert({
      id: 'fake',
      enabled: false,
      installed: false,
      settings: JSON.stringify({ locale: 'en', webhookSecret: 'stale' }),
      updated_at: '2026-11-23 00:00:00.000',
    });
    await start({ FAKE_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    expect(record.settings[0]).to.deep.equal({ locale: 'en', webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  });

  it('keeps running when a plugin cannot load, and says why', async () => {
    const { app, plugins } = await start();
    const res = await request(app).post('/host/api/plugins/broken/enable').set('Authorization', ADMIN());
    expect(res.status).to.equal(409);
    expect(res.body.error.message).to.include('hostApi is missing');
    expect((await plugins.list()).find((p) => p.id === 'broken')?.error).to.include('hostApi is missing');
    expect((await request(app).post('/host/api/plugins/nope/enable').set('Authorization', ADMIN())).status).to.equal(404);
  });

  it('wraps a plugin page in the host shell: menu bar, lang and a mobile viewport', async () => {
    const { app } = await start();
    await request(app).post('/host/api/plugins/fake/enable').set('Authorization', ADMIN());
    const page = await request(app)
      .get('/fake/')
      .set('Authorization', bearer('u_staff', ['employee', 'union_staff']));
    expect(page.text).to.match(/^<!doctype html><html lang="zh-CN">/);
    expect(page.text).to.include('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.text).to.include('<p id="plugin-body">plugin page</p>');
    expect(page.text).to.include('<a href="/fake/" class="active">工会</a>');
    // The sub-menu shows what the user's roles allow: staff see the ledger, plain employees do not.
    expect(page.text).to.include('会员台账');
    const emp = await request(app)
      .get('/fake/')
      .set('Authorization', bearer('u_emp', ['employee']));
    expect(emp.text).to.include('我的会籍').and.not.include('会员台账');
  });

  it('serialises lifecycle calls on one plugin', async () => {
    const { plugins } = await start();
    await Promise.all([plugins.enable('fake'), plugins.disable('fake'), plugins.enable('fake')]);
    expect(record.calls).to.deep.equal(['install', 'enable', 'disable', 'install', 'enable']);
    expect(plugins.instance('fake')?.isEnabled()).to.equal(true);
  });
});
