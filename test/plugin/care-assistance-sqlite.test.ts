import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createKnex } from '../../examples/host/db';
import { bearer, makeWorld, type World } from '../helpers/harness';

const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);

/** The embedded path `npm start` takes (SQLite): a hardship case paid through the welfare ledger, and the spending report. */
describe('care: hardship assistance on the embedded SQLite database', () => {
  let dir: string;
  let db: Knex;
  let w: World;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'union-sqlite-'));
    db = createKnex(`sqlite:${path.join(dir, 'host.sqlite')}`);
    w = await makeWorld({ db, employees: 30, settings: { assistance: { handlerIds: ['u_staff'], noticeDays: 3 } } });
  });
  after(async () => {
    await w.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies, is granted with a 3-day notice, is paid into the ledger and counted where the money went', async () => {
    const emp = () => bearer(w.token('u_emp'));
    const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
    const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
    const post = (id: number, p: string, who: ReturnType<typeof emp>, body: object = {}) =>
      w.api.post(`/union/api/assistance-cases/${id}/${p}`).set(who).send(body).expect(200);
    w.clock.setSystemTime(at10('2026-11-23'));
    const id = (await w.api.post('/union/api/assistance-cases').set(emp()).send({ category: 'illness', description: '住院' }).expect(201))
      .body.id;
    await post(id, 'accept', staff());
    await post(id, 'verify', staff(), { note: '核实' });
    await post(id, 'decide', chair(), { decision: 'grant', kind: 'cash', amount: 800, grade: 'sudden' });
    expect(await w.db('union_assistance_cases').where({ id }).first()).to.include({ notice_ends_on: '2026-11-26' });
    w.clock.setSystemTime(at10('2026-11-27'));
    await post(id, 'confirm', staff());
    await post(id, 'pay', staff());
    const groups = (await w.api.get('/union/api/service-groups').set(staff()).expect(200)).body;
    expect(groups.find((g: { code: string }) => g.code === 'hardship').count).to.equal(1);
    const spent = (await w.api.get('/union/api/care/spending?period=2026-11').set(staff()).expect(200)).body;
    expect(spent.byPlan).to.have.length(1);
    expect(spent.byPlan[0]).to.include({ paid: 1, amount: 800 });
    expect(spent.byGroup.find((g: { key: string }) => g.key === 'hardship')).to.include({ paid: 1, amount: 800 });
    await w.api.get('/union/care/spending?period=2026-11').set(staff()).expect(200);
  });
});
