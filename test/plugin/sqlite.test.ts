import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createKnex } from '../../examples/host/db';
import { reconcile } from '../../plugin/sync/reconcile';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

/** The embedded path `npm start` takes without DATABASE_URL: a SQLite file, same module, same rules. */
describe('on the embedded SQLite database', () => {
  let dir: string;
  let db: Knex;
  let w: World;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'union-sqlite-'));
    db = createKnex(`sqlite:${path.join(dir, 'host.sqlite')}`);
    w = await makeWorld({ db, employees: 60 });
  });
  after(async () => {
    await w.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('installs, follows hire and exit, approves an application, repairs by sync and counts coverage', async () => {
    const admin = bearer(w.token('admin', ['admin']));
    const staff = bearer(w.token('u_staff', ['employee', 'union_staff']));
    const id = (
      await w.api
        .post('/hr/api/employees')
        .set(admin)
        .send({ name: '赵六', departmentId: 'D03', gender: 'M', birthDate: '1988-08-08', hireDate: TODAY })
        .expect(201)
    ).body.id;
    expect((await w.api.get(`/union/api/members/${id}`).set(staff).expect(200)).body).to.include({
      status: 'active',
      memberNo: 'GH20260001',
    });
    await w.api.post(`/hr/api/employees/${id}/exit`).set(admin).send({ exitDate: TODAY, reason: 'resigned' }).expect(200);
    expect((await w.api.get(`/union/api/members/${id}`).set(staff).expect(200)).body.status).to.equal('expired');

    const app = await w.api
      .post('/union/api/join-applications')
      .set(bearer(w.token('u_emp')))
      .send({ consent: true })
      .expect(201);
    expect((await w.api.post(`/union/api/join-applications/${app.body.id}/approve`).set(staff).expect(200)).body.memberNo).to.equal(
      'GH20260002',
    );

    const report = await reconcile(w.plugin.ctx, { trigger: 'test', actor: { id: 't', kind: 'job' } });
    expect(report.status).to.equal('done');
    const c = await w.api.get('/union/api/stats/coverage').set(staff).expect(200);
    expect(c.body.members).to.equal(1);
    const page = await w.api
      .get('/union/members')
      .set('Cookie', `hr_session=${w.token('u_staff', ['employee', 'union_staff'])}`)
      .expect(200);
    expect(page.text).to.contain('GH20260002');
  });
});

/** `npm start` brings up a 3,000-person company on SQLite, whose multi-row statements hold at most 500 rows. */
describe('on the embedded SQLite database, a company larger than one statement', () => {
  let dir: string;
  let db: Knex;
  let w: World;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'union-sqlite-big-'));
    db = createKnex(`sqlite:${path.join(dir, 'host.sqlite')}`);
    w = await makeWorld({ db, employees: 1200 });
  });
  after(async () => {
    await w.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('enables, records everyone, and counts the care service groups', async () => {
    const employed = await db('host_employees').where({ status: 'employed' }).count({ n: '*' }).first();
    const profiles = await db('union_care_profiles').where({ employed: true }).count({ n: '*' }).first();
    expect(Number(profiles?.n)).to.equal(Number(employed?.n));
    const groups = await w.api
      .get('/union/api/service-groups')
      .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
      .expect(200);
    expect(groups.body.map((g: { code: string }) => g.code)).to.include('female');
  });
});
