import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { seedUnionDemo } from '../../examples/host/seed-union';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** The demo union is written by the module's own services: numbers, history and audit as the module would. */
describe('the demo union seed', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 300 })));
  after(async () => w.close());

  it('makes about 85% of employees members since their hire, retirees retained, leavers expired, a branch union, open applications and invitations', async () => {
    const s = await seedUnionDemo(w.db, w.plugin);
    expect(s.seeded).to.equal(true);
    const employed = await w.db('host_employees').where({ status: 'employed' }).pluck('id');
    const active = await w.db('union_memberships').where({ status: 'active' }).whereIn('employee_id', employed).count({ n: '*' }).first();
    const share = Number(active!.n) / employed.length;
    expect(share).to.be.within(0.8, 0.92);
    expect(await w.db('union_memberships').where({ status: 'retained' }).count({ n: '*' }).first()).to.deep.include({ n: s.retained });
    expect(s.retained).to.be.greaterThan(0);
    expect(s.expired).to.be.greaterThan(0);
    // Numbers are unique and carry the join year; the demo employee has not joined.
    const rows = await w.db('union_memberships').select('member_no', 'joined_at', 'employee_id');
    expect(new Set(rows.map((r) => r.member_no)).size).to.equal(rows.length);
    for (const r of rows.slice(0, 50)) expect(r.member_no.slice(2, 6)).to.equal(String(r.joined_at).slice(0, 4));
    expect(rows.some((r) => r.employee_id === 'u_emp')).to.equal(false);
    expect(await w.db('union_membership_history').count({ n: '*' }).first()).to.satisfy((c: { n: number }) => Number(c.n) >= rows.length);
    const branch = await w.db('union_orgs').where({ name: '生产分会' }).first();
    expect(await w.db('union_org_departments').where({ org_id: branch.id }).pluck('department_id')).to.have.members(['D01', 'D02']);
    expect(await w.db('union_memberships').where({ org_id: branch.id }).count({ n: '*' }).first()).to.satisfy(
      (c: { n: number }) => Number(c.n) > 0,
    );
    expect(await w.db('union_join_applications').where({ status: 'submitted' }).count({ n: '*' }).first()).to.deep.include({ n: 6 });
    expect(await w.db('union_invitations').where({ status: 'sent' }).count({ n: '*' }).first()).to.deep.include({ n: s.invitations });
    // No welcome message for years-old memberships.
    expect(w.notify.getCalls().some((c) => c.args[0].template === 'union.member.joined')).to.equal(false);
  });

  it('runs once', async () => {
    expect((await seedUnionDemo(w.db, w.plugin)).seeded).to.equal(false);
  });
});

describe('the demo ledger in examples/ fits the demo company', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ employees: 3000 });
    await seedUnionDemo(w.db, w.plugin);
  });
  after(async () => w.close());

  it('a dry run matches its people: most join, retirees and leavers are recognised, the unknown 工号 and the repeat are flagged', async () => {
    const file = path.join(__dirname, '..', '..', 'examples', 'legacy-ledger-demo.csv');
    const res = await w.api
      .post('/union/api/imports')
      .set(bearer(w.token('u_staff', ['employee', 'union_staff'])))
      .attach('file', fs.readFileSync(file), 'legacy-ledger-demo.csv')
      .expect(201);
    expect(res.body.counts).to.deep.include({ matched: 24, exited: 4, duplicate: 1, unmatched: 1, conflict: 0, invalid: 0 });
  });
});
