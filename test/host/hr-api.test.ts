import { expect } from 'chai';
import type { Knex } from 'knex';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { HostEvent } from '../../plugin/host';
import type { HostApp } from '../../examples/host/app';
import { signToken } from '../../examples/host/sso';
import { ADMIN, SECRET, STAFF, TOOL_ADMIN, resetHostTables, testDb, testHost } from './helpers';

describe('reference host: HR API', () => {
  let db: Knex;
  let host: HostApp;
  let events: HostEvent[];
  const api = () => request(host.app);

  before(() => (db = testDb()));
  beforeEach(async () => {
    await resetHostTables(db, 3000);
    host = await testHost(db);
    events = [];
    for (const type of ['employee.hired', 'employee.exited', 'employee.transferred'] as const)
      host.bus.on(type, async (e) => void events.push(e));
  });
  afterEach(() => host?.close());
  after(async () => {
    await resetHostTables(db, -1);
    await db.destroy();
  });

  describe('who may call it', () => {
    for (const [method, url] of [
      ['get', '/hr/api/departments'],
      ['get', '/hr/api/employees'],
      ['post', '/hr/api/employees'],
      ['post', '/hr/api/employees/E000001/exit'],
      ['post', '/hr/api/employees/E000001/transfer'],
    ] as const) {
      it(`${method.toUpperCase()} ${url}: 401 without a token, 403 for union staff`, async () => {
        const anon = await api()[method](url).send({});
        expect(anon.status).to.equal(401);
        expect(anon.body.error.code).to.equal('unauthorized');
        const staff = await api()[method](url).set('Authorization', STAFF()).send({});
        expect(staff.status).to.equal(403);
      });
    }

    it('rejects tokens it did not issue: another key, another audience, no signature, expired', async () => {
      const claims = { sub: 'admin', roles: ['admin'] };
      const tokens = [
        signToken(claims, { secret: 'not-the-host-secret' }),
        jwt.sign(claims, SECRET, { algorithm: 'HS256', issuer: 'reference-host', audience: 'another-app' }),
        jwt.sign(claims, '', { algorithm: 'none', issuer: 'reference-host', audience: 'hr-oa' } as jwt.SignOptions),
        signToken(claims, { secret: SECRET, now: new Date('2026-11-22T00:00:00Z') }),
      ];
      for (const token of tokens) {
        const res = await api().get('/hr/api/departments').set('Authorization', `Bearer ${token}`);
        expect(res.status, token).to.equal(401);
      }
    });

    it('trusts any admin token the host signed, even for a subject that is not an employee', async () => {
      const res = await api().get('/hr/api/departments').set('Authorization', TOOL_ADMIN());
      expect(res.status).to.equal(200);
      expect(res.body).to.have.length(12);
      expect(res.body[0]).to.deep.equal({ id: 'D01', name: '生产一车间' });
    });

    it('does not accept a cross-site form post, even with the session cookie', async () => {
      const token = ADMIN().slice('Bearer '.length);
      const res = await api()
        .post('/hr/api/employees')
        .set('Cookie', `hr_session=${token}`)
        .type('form')
        .send({ name: '张三', departmentId: 'D01', gender: 'M', birthDate: '1990-01-01', hireDate: '2026-11-01' });
      expect(res.status).to.equal(415);
      expect(events).to.have.length(0);
      const json = await api()
        .post('/hr/api/employees')
        .set('Cookie', `hr_session=${token}`)
        .send({ name: '张三', departmentId: 'D01', gender: 'M', birthDate: '1990-01-01', hireDate: '2026-11-01' });
      expect(json.status).to.equal(201);
    });
  });

  describe('listing', () => {
    it('lists employed people in pages with a cursor', async () => {
      const first = await api().get('/hr/api/employees?status=employed&limit=5').set('Authorization', ADMIN());
      expect(first.status).to.equal(200);
      expect(first.body.items).to.have.length(5);
      expect(Object.keys(first.body.items[0]).sort()).to.deep.equal(['departmentId', 'id', 'name', 'status']);
      expect(first.body.items.every((e: { status: string }) => e.status === 'employed')).to.equal(true);
      const next = await api()
        .get(`/hr/api/employees?status=employed&limit=5&cursor=${first.body.nextCursor}`)
        .set('Authorization', ADMIN());
      expect(next.body.items[0].id > first.body.items[4].id).to.equal(true);
    });

    it('names the query field that is wrong', async () => {
      const res = await api().get('/hr/api/employees?status=fired&limit=abc').set('Authorization', ADMIN());
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).to.deep.equal(['limit', 'status']);
    });
  });

  describe('hire', () => {
    const hire = (body: unknown) =>
      api()
        .post('/hr/api/employees')
        .set('Authorization', ADMIN())
        .send(body as object);
    const valid = { name: '新员工', departmentId: 'D03', gender: 'F', birthDate: '2000-02-29', hireDate: '2026-11-20' };

    it('creates the employee and emits employee.hired once the row is committed', async () => {
      let seenInDb: unknown;
      host.bus.on(
        'employee.hired',
        async (e) => void (seenInDb = await db('host_employees').where({ id: e.data.employeeId }).first('status')),
      );
      const res = await hire(valid);
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.equal({ id: 'E003001' });
      expect(seenInDb).to.deep.equal({ status: 'employed' });
      expect(events).to.have.length(1);
      expect(events[0]).to.include({ type: 'employee.hired', timestamp: '2026-11-23T02:00:00.000Z' });
      expect(events[0].id).to.match(/^evt_[0-9a-f-]{36}$/);
      expect(events[0].data).to.deep.equal({ employeeId: 'E003001', departmentId: 'D03', hireDate: '2026-11-20' });
      expect(await host.host.employees.get('E003001')).to.include({
        name: '新员工',
        employeeNo: 'EM003001',
        status: 'employed',
        birthDate: '2000-02-29',
      });
    });

    const bad: Array<[string, Record<string, unknown>, string]> = [
      ['a missing name', { ...valid, name: undefined }, 'name'],
      ['a blank name', { ...valid, name: '   ' }, 'name'],
      ['a gender other than M or F', { ...valid, gender: 'X' }, 'gender'],
      ['a date that does not exist', { ...valid, birthDate: '2001-02-29' }, 'birthDate'],
      ['a date in another format', { ...valid, hireDate: '2026/11/20' }, 'hireDate'],
      ['a hire before the 16th birthday', { ...valid, birthDate: '2012-01-01' }, 'hireDate'],
      ['an unknown field', { ...valid, salary: 9000 }, 'salary'],
      ['a department id of the wrong type', { ...valid, departmentId: 7 }, 'departmentId'],
    ];
    for (const [what, body, field] of bad) {
      it(`answers 400 naming ${field} for ${what}, and changes nothing`, async () => {
        const res = await hire(body);
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal('invalid_input');
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(field);
        expect(events).to.have.length(0);
        expect(await db('host_employees').where({ id: 'E003001' }).first()).to.equal(undefined);
      });
    }

    it('answers 400 for a body that is not JSON or not an object', async () => {
      const broken = await api()
        .post('/hr/api/employees')
        .set('Authorization', ADMIN())
        .set('Content-Type', 'application/json')
        .send('{"name":');
      expect(broken.status).to.equal(400);
      expect(broken.body.error.code).to.equal('invalid_json');
      const list = await hire([valid]);
      expect(list.status).to.equal(400);
      expect(list.body.error.details[0].path).to.equal('(body)');
    });

    it('answers 404 naming departmentId for an unknown department', async () => {
      const res = await hire({ ...valid, departmentId: 'D99' });
      expect(res.status).to.equal(404);
      expect(res.body.error.details).to.deep.equal([{ path: 'departmentId', message: 'no such department' }]);
    });
  });

  describe('exit', () => {
    const exit = (id: string, body: object) => api().post(`/hr/api/employees/${id}/exit`).set('Authorization', ADMIN()).send(body);

    it('marks the person exited and emits employee.exited', async () => {
      const res = await exit('u_emp', { exitDate: '2026-11-30', reason: '个人原因' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: 'u_emp', status: 'exited' });
      expect(events.map((e) => [e.type, e.data])).to.deep.equal([
        ['employee.exited', { employeeId: 'u_emp', exitDate: '2026-11-30', reason: '个人原因', retired: false }],
      ]);
      expect(await host.host.employees.get('u_emp')).to.include({ status: 'exited', exitDate: '2026-11-30', exitReason: '个人原因' });
    });

    it('treats reason "retired" and retired: true as a retirement', async () => {
      await exit('u_emp', { exitDate: '2026-11-30', reason: 'retired' });
      await exit('u_staff', { exitDate: '2026-11-30', retired: true });
      expect(events.map((e) => e.data)).to.deep.equal([
        { employeeId: 'u_emp', exitDate: '2026-11-30', reason: 'retired', retired: true },
        { employeeId: 'u_staff', exitDate: '2026-11-30', reason: 'retired', retired: true },
      ]);
      expect(await db('host_employees').whereIn('id', ['u_emp', 'u_staff']).pluck('status')).to.deep.equal(['retired', 'retired']);
    });

    it('refuses what cannot be: unknown people, exits before the hire, leaving twice', async () => {
      expect((await exit('nobody', { exitDate: '2026-11-30' })).status).to.equal(404);
      const early = await exit('u_emp', { exitDate: '2020-01-01' });
      expect(early.status).to.equal(400);
      expect(early.body.error.details[0].path).to.equal('exitDate');
      const noDate = await exit('u_emp', { reason: '辞职' });
      expect(noDate.body.error.details).to.deep.equal([{ path: 'exitDate', message: 'is required' }]);
      expect((await exit('u_emp', { exitDate: '2026-11-30' })).status).to.equal(200);
      expect((await exit('u_emp', { exitDate: '2026-12-01' })).status).to.equal(409);
      expect(events).to.have.length(1);
    });
  });

  describe('transfer', () => {
    const transfer = (id: string, body: object) => api().post(`/hr/api/employees/${id}/transfer`).set('Authorization', ADMIN()).send(body);

    it('moves the person and emits employee.transferred with both departments', async () => {
      const res = await transfer('u_emp', { departmentId: 'D02' });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ id: 'u_emp', name: '王小明', departmentId: 'D02', status: 'employed' });
      expect(events.map((e) => [e.type, e.data])).to.deep.equal([
        ['employee.transferred', { employeeId: 'u_emp', fromDepartmentId: 'D01', departmentId: 'D02' }],
      ]);
    });

    it('answers 404 for an unknown department or person, 409 for the same department, 400 without one', async () => {
      expect((await transfer('u_emp', { departmentId: 'D99' })).body.error.details[0].path).to.equal('departmentId');
      expect((await transfer('nobody', { departmentId: 'D02' })).status).to.equal(404);
      expect((await transfer('u_emp', { departmentId: 'D01' })).status).to.equal(409);
      const none = await transfer('u_emp', {});
      expect(none.status).to.equal(400);
      expect(none.body.error.details).to.deep.equal([{ path: 'departmentId', message: 'is required' }]);
      expect(events).to.have.length(0);
    });
  });

  it('re-hires a person who left under the same id and emits employee.hired', async () => {
    await api().post('/hr/api/employees/u_emp/exit').set('Authorization', ADMIN()).send({ exitDate: '2026-11-24' });
    const res = await api()
      .post('/hr/api/employees/u_emp/rehire')
      .set('Authorization', ADMIN())
      .send({ hireDate: '2026-12-01', departmentId: 'D04' });
    expect(res.status).to.equal(200);
    expect(events.map((e) => e.type)).to.deep.equal(['employee.exited', 'employee.hired']);
    expect(events[1].data).to.deep.equal({ employeeId: 'u_emp', departmentId: 'D04', hireDate: '2026-12-01', rehire: true });
    expect(await host.host.employees.get('u_emp')).to.include({
      status: 'employed',
      exitDate: null,
      hireDate: '2026-12-01',
      departmentId: 'D04',
    });
  });

  it('does not fail the HR request when a subscriber throws', async () => {
    host.bus.on('employee.transferred', async () => {
      throw new Error('module is down');
    });
    const res = await api().post('/hr/api/employees/u_emp/transfer').set('Authorization', ADMIN()).send({ departmentId: 'D02' });
    expect(res.status).to.equal(200);
    expect(events).to.have.length(1);
  });
});
