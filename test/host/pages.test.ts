import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import request from 'supertest';
import type { HostApp } from '../../examples/host/app';
import type { HostEvent } from '../../plugin/host';
import { ADMIN, SECRET, bearer, resetHostTables, testDb, testHost } from './helpers';

describe('reference host: pages', () => {
  let db: Knex;
  let host: HostApp;
  const web = () => request(host.app);

  before(() => (db = testDb()));
  beforeEach(async () => {
    await resetHostTables(db, 50);
    host = await testHost(db);
  });
  afterEach(() => host?.close());
  after(async () => {
    await resetHostTables(db, -1);
    await db.destroy();
  });

  describe('sign-in', () => {
    it('offers the four demo users on a mobile-ready page with security headers', async () => {
      const res = await web().get('/login');
      expect(res.status).to.equal(200);
      for (const id of ['u_emp', 'u_staff', 'u_chair', 'admin']) expect(res.text).to.include(`value="${id}"`);
      for (const label of ['普通员工', '工会干事', '工会主席', '管理员']) expect(res.text).to.include(label);
      expect(res.text).to.include('<html lang="zh-CN">').and.include('width=device-width, initial-scale=1');
      expect(res.headers['content-security-policy']).to.include("default-src 'self'");
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
    });

    it('signs in with an HS256 session cookie carrying the host roles, and goes to next', async () => {
      const res = await web().post('/login').type('form').send({ id: 'u_chair', next: '/inbox?x=1' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/inbox?x=1');
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('hr_session='))!;
      expect(cookie).to.include('HttpOnly').and.include('SameSite=Lax').and.include('Path=/');
      const token = cookie.split(';')[0].slice('hr_session='.length);
      expect(jwt.decode(token, { complete: true })?.header.alg).to.equal('HS256');
      const claims = jwt.verify(token, SECRET, {
        algorithms: ['HS256'],
        issuer: 'reference-host',
        audience: 'hr-oa',
        // Issued by the host's (fixed) clock.
        clockTimestamp: Date.parse('2026-11-23T02:00:00Z') / 1000,
      }) as jwt.JwtPayload;
      expect(claims).to.include({ sub: 'u_chair', name: '张志强' });
      expect(claims.roles).to.deep.equal(['employee', 'union_chair']);
      expect(claims.exp! - claims.iat!).to.equal(8 * 3600);
    });

    it('never redirects to another site after sign-in', async () => {
      for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
        const res = await web().post('/login').type('form').send({ id: 'u_emp', next });
        expect(res.headers.location, next).to.equal('/');
      }
    });

    it('finds people by name, and refuses unknown and exited ones', async () => {
      const exited = await db('host_employees').where({ status: 'exited' }).first('id', 'name');
      const search = await web().get(`/login?q=${encodeURIComponent(exited.name)}`);
      expect(search.text).to.include(`value="${exited.id}"`);
      for (const id of ['nobody', exited.id]) {
        const res = await web().post('/login').type('form').send({ id });
        expect(res.headers.location).to.match(/^\/login/);
        expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => c.startsWith('hr_session='))).to.equal(false);
      }
    });

    it('refuses a sign-in form posted from another site', async () => {
      const res = await web().post('/login').set('Origin', 'https://evil.example').type('form').send({ id: 'admin' });
      expect(res.status).to.equal(403);
    });

    it('sends visitors without a session to the login page, and signs out', async () => {
      const home = await web().get('/inbox');
      expect(home.status).to.equal(303);
      expect(home.headers.location).to.equal('/login?next=%2Finbox');
      const out = await web().post('/logout');
      expect(out.headers.location).to.equal('/login');
      expect(String(out.headers['set-cookie'])).to.match(/hr_session=;/);
    });
  });

  describe('menu bar and admin pages', () => {
    it('shows HR and the plugin manager to admins only', async () => {
      const emp = await web()
        .get('/')
        .set('Authorization', bearer('u_emp', ['employee']));
      expect(emp.text).to.include('href="/inbox"').and.not.include('href="/plugins"');
      expect(
        (
          await web()
            .get('/plugins')
            .set('Authorization', bearer('u_emp', ['employee']))
        ).status,
      ).to.equal(403);
      expect(
        (
          await web()
            .get('/hr/employees')
            .set('Authorization', bearer('u_staff', ['employee', 'union_staff']))
        ).status,
      ).to.equal(403);
      const admin = await web().get('/').set('Authorization', ADMIN());
      expect(admin.text).to.include('href="/plugins"').and.include('href="/hr/employees"');
      expect((await web().get('/plugins').set('Authorization', ADMIN())).status).to.equal(200);
    });

    it('lists and filters employees', async () => {
      const res = await web().get('/hr/employees?q=%E7%8E%8B%E5%B0%8F%E6%98%8E').set('Authorization', ADMIN());
      expect(res.status).to.equal(200);
      expect(res.text).to.include('u_emp').and.include('生产一车间');
      expect(res.text).to.not.include('E000001');
    });

    it('runs the hire form through the same checks and events as the API', async () => {
      const events: HostEvent[] = [];
      host.bus.on('employee.hired', async (e) => void events.push(e));
      const ok = await web()
        .post('/hr/employees/hire')
        .set('Authorization', ADMIN())
        .type('form')
        .send({ name: '表单入职', departmentId: 'D05', gender: 'F', birthDate: '1995-05-05', hireDate: '2026-11-23', position: '' });
      expect(ok.status).to.equal(303);
      expect(events.map((e) => e.data)).to.deep.equal([{ employeeId: 'E000051', departmentId: 'D05', hireDate: '2026-11-23' }]);
      const bad = await web()
        .post('/hr/employees/hire')
        .set('Authorization', ADMIN())
        .type('form')
        .send({ name: 'x', departmentId: 'D05', gender: 'F', birthDate: '1995-02-30', hireDate: '2026-11-23' });
      expect(String(bad.headers['set-cookie'])).to.include('hr_flash=');
      const page = await web()
        .get('/hr/employees')
        .set('Authorization', ADMIN())
        .set('Cookie', String(bad.headers['set-cookie']).split(';')[0]);
      expect(page.text).to.include('birthDate: must be a real date');
      expect(events).to.have.length(1);
    });
  });

  it('shows each person only their own notifications', async () => {
    await host.host.notify.send({
      to: ['u_emp', 'u_staff'],
      template: 'union.invite',
      data: { title: '诚邀您加入工会', text: '<b>点此</b>申请' },
      channels: ['inapp', 'sms'],
    });
    const mine = await web()
      .get('/inbox')
      .set('Authorization', bearer('u_emp', ['employee']));
    // Title and body, escaped; not the template id or the delivery channels.
    expect(mine.text)
      .to.include('诚邀您加入工会')
      .and.include('&lt;b&gt;点此&lt;/b&gt;申请')
      .and.not.include('union.invite')
      .and.not.include('inapp / sms');
    const admin = await web().get('/inbox').set('Authorization', ADMIN());
    expect(admin.text).to.include('暂无消息').and.not.include('诚邀您加入工会');
    expect(await db('host_notifications').count({ n: '*' })).to.deep.equal([{ n: 2 }]);
  });

  it('answers unknown pages with a 404 page and unknown API paths with JSON', async () => {
    const page = await web().get('/nowhere');
    expect(page.status).to.equal(404);
    expect(page.type).to.equal('text/html');
    const api = await web().get('/hr/api/nowhere').set('Authorization', ADMIN());
    expect(api.status).to.equal(404);
    expect(api.body.error.code).to.equal('not_found');
  });
});
