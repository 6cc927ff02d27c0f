import { expect } from 'chai';
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { loadManifest, validateManifest } from '../../plugin/manifest';
import { createPlugin } from '../../plugin';
import { ConfigError } from '../../plugin/errors';
import { allKeys } from '../../plugin/i18n';
import supertest from 'supertest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unionTables } from '../../plugin/services/backup';
import { createHostApp } from '../../examples/host/app';
import { verifyToken } from '../../plugin/auth';
import { bearer, makeWorld, type World } from '../helpers/harness';

describe('chassis: manifest and settings', () => {
  it('loads the shipped manifest, with the four union roles and a job timezone', () => {
    const m = loadManifest();
    expect(m.id).to.equal('union');
    expect(m.roles.map((r) => r.id)).to.have.members(['union.member', 'union.staff', 'union.chair', 'union.admin']);
    expect(m.jobs.every((j) => j.timezone === 'Asia/Shanghai')).to.equal(true);
  });

  it('refuses a broken manifest with a message that names the field', () => {
    const m = structuredClone(loadManifest()) as unknown as Record<string, unknown>;
    delete m.id;
    expect(() => validateManifest(m)).to.throw(ConfigError, /manifest\.id/);
    const bad = structuredClone(loadManifest());
    bad.menus[0].children![1].permission = 'union.nothing';
    expect(() => validateManifest(bad)).to.throw(ConfigError, /manifest\.menus\.0\.children\.1\.permission/);
    const tz = structuredClone(loadManifest());
    tz.jobs[0].timezone = 'Mars/Olympus';
    expect(() => validateManifest(tz)).to.throw(ConfigError, /manifest\.jobs\.0\.timezone/);
  });

  it('refuses broken settings and a host API outside the supported range, naming the field', async () => {
    const w = await makeWorld({ enable: false });
    try {
      const base = { ...w.host.host };
      expect(() => createPlugin({ ...base, settings: { onHire: 'sometimes' } })).to.throw(ConfigError, /settings\.onHire/);
      expect(() => createPlugin({ ...base, settings: { timezone: 'Nowhere/Land' } })).to.throw(ConfigError, /settings\.timezone/);
      expect(() => createPlugin({ ...base, settings: { webhookSecret: 'plain' } })).to.throw(ConfigError, /settings\.webhookSecret/);
      expect(() => createPlugin({ ...base, apiVersion: '2.0.0', settings: {} })).to.throw(ConfigError, /host\.apiVersion/);
    } finally {
      await w.close();
    }
  });
});

describe('chassis: lifecycle through the host plugin manager', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ enable: false })));
  afterEach(async () => w.close());

  it('an administrator enables 工会: routes answer, the tab shows per role, and enabling twice is harmless', async () => {
    const admin = w.token('admin', ['admin']);
    expect((await w.api.get('/union/api/me').set(bearer(admin))).status).to.equal(404);
    await w.api.post('/host/api/plugins/union/enable').set(bearer(admin)).expect(200);
    await w.api.post('/host/api/plugins/union/enable').set(bearer(admin)).expect(200);
    const me = await w.api
      .get('/union/api/me')
      .set(bearer(w.token('u_emp')))
      .expect(200);
    expect(me.body).to.include({ id: 'u_emp' });
    expect(me.body.roles).to.deep.equal(['union.member']);
    const staffMe = await w.api
      .get('/union/api/me')
      .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
      .expect(200);
    expect(staffMe.body.roles).to.deep.equal(['union.member', 'union.staff']);
    expect(staffMe.body.permissions).to.include('union.members.read');

    const visible = (roles: string[]) => w.host.menus.visibleFor(roles).flatMap((m) => [m.key, ...(m.children ?? []).map((c) => c.key)]);
    expect(visible(['employee']))
      .to.include('union')
      .and.include('union.home')
      .and.not.include('union.members');
    expect(visible(['employee', 'union_staff'])).to.include('union.members');
    const list = await w.api.get('/host/api/plugins').set(bearer(admin)).expect(200);
    expect(list.body.find((p: { id: string }) => p.id === 'union')).to.include({ enabled: true, installed: true });
  });

  it('disabling removes the tab, the routes and the event subscription, and keeps every row', async () => {
    const admin = w.token('admin', ['admin']);
    await w.api.post('/host/api/plugins/union/enable').set(bearer(admin)).expect(200);
    await w.api
      .post('/hr/api/employees')
      .set(bearer(admin))
      .send({ name: '张三', departmentId: 'D01', gender: 'M', birthDate: '1990-01-01', hireDate: '2026-11-23' })
      .expect(201);
    const before = await w.db('union_memberships').count({ n: '*' }).first();
    expect(Number(before!.n)).to.equal(1);

    await w.api.post('/host/api/plugins/union/disable').set(bearer(admin)).expect(200);
    expect(w.host.menus.visibleFor(['admin']).map((m) => m.key)).to.not.include('union');
    expect((await w.api.get('/union/api/me').set(bearer(admin))).status).to.equal(404);
    await w.api
      .post('/hr/api/employees')
      .set(bearer(admin))
      .send({ name: '李四', departmentId: 'D01', gender: 'F', birthDate: '1991-01-01', hireDate: '2026-11-23' })
      .expect(201);
    const after = await w.db('union_memberships').count({ n: '*' }).first();
    expect(Number(after!.n)).to.equal(1, 'no event is handled while disabled, and nothing was dropped');
    expect((await w.db('host_plugins').where({ id: 'union' }).first()).enabled).to.satisfy((v: unknown) => !v);
  });

  it("enable starts the manifest's scheduled jobs and disable stops them", async () => {
    await w.close();
    w = await makeWorld({ settings: { jobs: { enabled: true } } });
    expect(w.plugin.status()).to.deep.equal({ enabled: true, scheduledJobs: w.plugin.manifest.jobs.length });
    await w.host.plugins.disable('union');
    expect(w.plugin.status()).to.deep.equal({ enabled: false, scheduledJobs: 0 });
    await w.host.plugins.enable('union');
    expect(w.plugin.status().scheduledJobs).to.equal(w.plugin.manifest.jobs.length, 'enabling again reuses the job names');
  });

  it('the plugin manager remembers an enabled plugin across a host restart', async () => {
    await w.api
      .post('/host/api/plugins/union/enable')
      .set(bearer(w.token('admin', ['admin'])))
      .expect(200);
    await w.host.close();
    const again = await createHostApp({ db: w.db, logger: w.logger, env: {} });
    try {
      expect(again.plugins.instance('union')?.isEnabled()).to.equal(true);
      await supertest(again.app)
        .get('/union/api/me')
        .set(bearer(w.token('u_emp')))
        .expect(200);
    } finally {
      await again.close();
    }
  });

  it('uninstall keeps every table unless asked to drop them, and then only after a full export', async () => {
    await w.api
      .post('/host/api/plugins/union/enable')
      .set(bearer(w.token('admin', ['admin'])))
      .expect(200);
    await w.api
      .post('/hr/api/employees')
      .set(bearer(w.token('admin', ['admin'])))
      .send({ name: '张三', departmentId: 'D01', gender: 'M', birthDate: '1990-01-01', hireDate: '2026-11-23' })
      .expect(201);
    await w.host.plugins.uninstall('union');
    expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.include({ n: 1 });
    try {
      await w.host.plugins.uninstall('union', { dropTables: true });
      expect.fail('dropping without an export must be refused');
    } catch (err) {
      expect((err as Error).message).to.match(/uninstall\.exportDir/);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'union-export-'));
    await w.host.plugins.uninstall('union', { dropTables: true, exportDir: dir });
    const exported = fs.readFileSync(path.join(dir, 'union_memberships.jsonl'), 'utf8').trim().split('\n');
    expect(exported).to.have.length(1);
    expect(JSON.parse(exported[0])).to.include({ status: 'active' });
    expect(await unionTables(w.db)).to.deep.equal([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('only administrators may switch plugins', async () => {
    await w.api.post('/host/api/plugins/union/enable').expect(401);
    await w.api
      .post('/host/api/plugins/union/enable')
      .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
      .expect(403);
  });
});

describe('chassis: SSO', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());

  const secret = 'dev-only-secret-change-me';
  const claims = { sub: 'u_emp', roles: ['employee'] };
  const sign = (extra: jwt.SignOptions = {}, payload: object = claims, key: string = secret) =>
    jwt.sign(payload, key, { algorithm: 'HS256', issuer: 'reference-host', audience: 'hr-oa', expiresIn: 600, ...extra });

  it('accepts the host token from the Authorization header and from the host cookie', async () => {
    await w.api.get('/union/api/me').set(bearer(sign())).expect(200);
    await w.api.get('/union/api/me').set('Cookie', `hr_session=${sign()}`).expect(200);
  });

  const forged: Array<[string, () => string]> = [
    [
      'alg none',
      () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, iss: 'reference-host', aud: 'hr-oa', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.`,
    ],
    ['wrong audience', () => sign({ audience: 'someone-else' })],
    ['wrong issuer', () => sign({ issuer: 'evil' })],
    ['expired', () => sign({ expiresIn: -60 })],
    ['wrong key', () => sign({}, claims, 'not-the-secret')],
    ['garbage', () => 'not.a.token'],
    [
      'no subject',
      () => jwt.sign({ roles: ['admin'] }, secret, { algorithm: 'HS256', issuer: 'reference-host', audience: 'hr-oa', expiresIn: 600 }),
    ],
  ];
  for (const [name, make] of forged) {
    it(`refuses a token with ${name}: 401 JSON for the API, the host login for pages`, async () => {
      const api = await w.api.get('/union/api/me').set(bearer(make()));
      expect(api.status).to.equal(401);
      expect(api.body.error.code).to.equal('unauthorized');
      const page = await w.api.get('/union/').set('Cookie', `hr_session=${make()}`);
      expect(page.status).to.equal(302);
      expect(page.headers.location).to.equal('/login?next=%2Funion%2F');
    });
  }

  it('refuses an HS256 token signed with the RS256 public key when the host uses RS256', async () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const rsHost = {
      ...w.host.host,
      auth: { ...w.host.host.auth, key: pub, algorithms: ['RS256' as const] },
      settings: { jobs: { enabled: false } },
    };
    const good = jwt.sign(claims, privateKey, { algorithm: 'RS256', issuer: 'reference-host', audience: 'hr-oa', expiresIn: 600 });
    expect(verifyToken(rsHost.auth, good, new Date()).sub).to.equal('u_emp');
    // Hand-made: jsonwebtoken itself refuses to sign HS256 with a PEM key, which is how the attack is usually built.
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ ...claims, iss: 'reference-host', aud: 'hr-oa', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url');
    const sig = crypto.createHmac('sha256', pub).update(`${header}.${body}`).digest('base64url');
    expect(() => verifyToken(rsHost.auth, `${header}.${body}.${sig}`, new Date())).to.throw(/refused/);
  });
});

describe('chassis: errors, input, headers, CSRF and language', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());

  it('bad input gets 400 with every wrong field named, and unknown routes 404, without stacks', async () => {
    const staff = w.token('u_chair', ['employee', 'union_chair']);
    const res = await w.api.post('/union/api/members/u_emp/status').set(bearer(staff)).send({ status: 'sleeping', extra: 1 }).expect(400);
    expect(res.body.error.code).to.equal('invalid_input');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).to.include.members(['body.status', 'body.reason', 'body.extra']);
    const broken = await w.api
      .post('/union/api/join-applications')
      .set(bearer(staff))
      .set('Content-Type', 'application/json')
      .send('{"consent": tru')
      .expect(400);
    expect(broken.body.error.details[0].path).to.equal('body');
    const nf = await w.api.get('/union/api/nothing-here').set(bearer(staff)).expect(404);
    expect(nf.body).to.deep.equal({ error: { code: 'not_found', message: 'Not found', details: [] } });
    expect(JSON.stringify(res.body)).to.not.match(/at .*\.ts:\d+/);
  });

  it('sends helmet headers', async () => {
    const res = await w.api.get('/union/api/me').set(bearer(w.token('u_emp')));
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.contain("script-src 'self'");
  });

  it('refuses a cookie-authenticated form post without the CSRF token and accepts it with one', async () => {
    const cookie = `hr_session=${w.token('u_emp')}`;
    const noToken = await w.api.post('/union/join').set('Cookie', cookie).type('form').send({ consent: 'on' });
    expect(noToken.status).to.equal(403);
    const page = await w.api.get('/union/join').set('Cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const ok = await w.api.post('/union/join').set('Cookie', cookie).type('form').send({ consent: 'on', _csrf: csrf });
    expect(ok.status).to.equal(303);
    // A second application is refused with the reason in the reader's language, not the API's English.
    const again = await w.api
      .post('/union/join')
      .set('Cookie', cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ consent: 'on', _csrf: csrf });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('已有一份入会申请在等待审批').and.not.contain('already waiting');
  });

  it('speaks zh-CN by default and English by Accept-Language or ?lang, inside the host shell', async () => {
    const cookie = `hr_session=${w.token('u_emp')}`;
    const zh = await w.api.get('/union/').set('Cookie', cookie).expect(200);
    expect(zh.text).to.contain('我的会籍').and.contain('<html lang="zh-CN"').and.contain('width=device-width');
    const en = await w.api.get('/union/').set('Cookie', cookie).set('Accept-Language', 'en-US,en;q=0.9').expect(200);
    expect(en.text).to.contain('My membership').and.contain('<html lang="en"');
    const q = await w.api.get('/union/?lang=en').set('Cookie', cookie).set('Accept-Language', 'zh-CN').expect(200);
    expect(q.text).to.contain('My membership');
  });

  it('has every UI string in both languages', () => {
    const zh = allKeys('zh-CN').sort();
    const en = allKeys('en').sort();
    expect(zh).to.deep.equal(en);
  });
});
