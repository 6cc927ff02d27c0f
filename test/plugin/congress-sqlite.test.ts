import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createKnex } from '../../examples/host/db';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** The congress on the embedded SQLite path `npm start` takes: a session votes and a motion is answered. */
describe('congress on the embedded SQLite database', () => {
  let dir: string;
  let db: Knex;
  let w: World;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'union-congress-sqlite-'));
    db = createKnex(`sqlite:${path.join(dir, 'host.sqlite')}`);
    w = await makeWorld({ db, employees: 20 });
  });
  after(async () => {
    await w.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens a session, records attendance, votes in secret, and runs a motion to its answer', async () => {
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    const d = (await db('host_employees')
      .where({ status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .limit(3)
      .pluck('id')) as string[];
    const id = (await w.api.post('/union/api/congress/sessions').set(chair).send({ title: '职代会', delegates: d }).expect(201)).body.id;
    expect(
      (
        await w.api
          .post(`/union/api/congress/sessions/${id}/attendance`)
          .set(chair)
          .send({ present: d.slice(0, 2) })
          .expect(200)
      ).body,
    ).to.deep.equal({
      present: 2,
      total: 3,
      quorumMet: true,
    });
    const v = (await w.api.post(`/union/api/congress/sessions/${id}/votes`).set(chair).send({ subject: '表决', secret: true }).expect(201))
      .body.id;
    for (const p of d.slice(0, 2))
      await w.api
        .post(`/union/api/congress/votes/${v}/ballots`)
        .set(bearer(w.token(p)))
        .send({ choice: 'for' })
        .expect(201);
    await w.api
      .post(`/union/api/congress/votes/${v}/ballots`)
      .set(bearer(w.token(d[0])))
      .send({ choice: 'for' })
      .expect(409);
    expect((await w.api.post(`/union/api/congress/votes/${v}/close`).set(chair).expect(200)).body).to.deep.equal({
      for: 2,
      against: 0,
      abstain: 0,
      delegates: 3,
      passed: true,
    });

    const m = (
      await w.api
        .post(`/union/api/congress/sessions/${id}/motions`)
        .set(bearer(w.token(d[0])))
        .send({ title: '提案', content: '内容' })
        .expect(201)
    ).body.id;
    await w.api.post(`/union/api/congress/motions/${m}/accept`).set(chair).expect(200);
    const dept = (await db('host_employees').where({ id: d[2] }).first('department_id')).department_id;
    await w.api
      .post(`/union/api/congress/motions/${m}/assign`)
      .set(chair)
      .send({ leadDepartmentId: dept, answererId: d[2], days: 5 })
      .expect(200);
    await w.api
      .post(`/union/api/congress/motions/${m}/answer`)
      .set(bearer(w.token(d[2])))
      .send({ answer: '已落实' })
      .expect(200);
    await w.api
      .post(`/union/api/congress/motions/${m}/rate`)
      .set(bearer(w.token(d[0])))
      .send({ rating: 'satisfied' })
      .expect(200);
    expect(await db('union_congress_motions').where({ id: m }).first()).to.include({ status: 'closed', rating: 'satisfied' });
    await w.api.get(`/union/congress/sessions/${id}`).set(chair).expect(200);
    await w.api.get('/union/congress/manage').set(chair).expect(200);
  });
});
