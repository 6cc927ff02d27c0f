import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { AUDIENCE, DEV_SECRET, ISSUER } from '../../examples/host/sso';
import { StandingCache, type Standing } from '../../plugin/services/access';
import { WHOLE_UNION } from '../../plugin/services/scope';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

const MINUTE = 60_000;
const staffToken = (w: World) => bearer(w.token('u_staff', ['employee', 'union_staff']));
const admin = (w: World) => bearer(w.token('admin', ['admin']));

describe('access: a token without an expiry is refused', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());

  it('401 naming exp for the API, the host login for pages; the same token with exp is accepted', async () => {
    const claims = { roles: ['employee', 'union_staff'], iat: Math.floor(Date.now() / 1000) };
    const opts = { algorithm: 'HS256' as const, subject: 'u_staff', issuer: ISSUER, audience: AUDIENCE };
    const forever = jwt.sign(claims, DEV_SECRET, opts);
    const res = await w.api.get('/union/api/members').set(bearer(forever)).expect(401);
    expect(res.body.error.message).to.match(/\bexp\b/);
    const page = await w.api.get('/union/members').set('Cookie', `hr_session=${forever}`).expect(302);
    expect(page.headers.location).to.match(/^\/login\?next=/);
    const expiring = jwt.sign(claims, DEV_SECRET, { ...opts, expiresIn: 3600 });
    await w.api.get('/union/api/members').set(bearer(expiring)).expect(200);
  });
});

describe('access: exits and role changes take effect within a minute, whatever the token says', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());

  it('a staff member who exits keeps an 8-hour token, and within 60 s can no longer export or read the ledger', async () => {
    // The staff member is also a member, so there is an own record to read afterwards.
    const app = await w.api.post('/union/api/join-applications').set(staffToken(w)).send({ consent: true }).expect(201);
    await w.api.post(`/union/api/join-applications/${app.body.id}/approve`).set(staffToken(w)).expect(200);
    const token = staffToken(w); // issued now, valid for 8 hours
    await w.api.get('/union/api/members/export?format=csv').set(token).expect(200);

    await w.api.post('/hr/api/employees/u_staff/exit').set(admin(w)).send({ exitDate: TODAY, reason: '辞职' }).expect(200);
    w.clock.tick(MINUTE);
    const denied = await w.api.get('/union/api/members/export?format=csv').set(token).expect(403);
    expect(denied.text).to.not.match(/DEMO-|GH2026/, 'no ledger data in the refusal');
    await w.api.get('/union/api/members').set(token).expect(403);
    await w.api.get('/union/api/stats/coverage').set(token).expect(403);
    await w.api.get('/union/api/invitations/candidates').set(token).expect(403);
    await w.api.post('/union/api/sync/runs').set(token).expect(403);
    await w.api.get('/union/api/members/u_emp').set(token).expect(404);

    // As a plain (former) employee they still see their own record: it is theirs, not the union's ledger.
    const me = await w.api.get('/union/api/me').set(token).expect(200);
    expect(me.body.roles).to.deep.equal(['union.member']);
    expect(me.body.permissions).to.not.include('union.members.read');
    const own = await w.api.get('/union/api/members/u_staff').set(token).expect(200);
    expect(own.body.status).to.equal('expired');
    await w.api.get('/union/').set(token).expect(200);
  });

  it('the module’s own facts count too: an exit recorded in union_employees ends staff rights', async () => {
    const token = staffToken(w);
    await w.api.get('/union/api/members').set(token).expect(200);
    await w.db('union_employees').where({ employee_id: 'u_staff' }).update({ exit_date: TODAY });
    w.clock.tick(MINUTE);
    await w.api.get('/union/api/members').set(token).expect(403);
  });

  it('a role taken away in the host ends within 60 s; a role given there starts without a new token', async () => {
    const token = staffToken(w);
    await w.api.get('/union/api/members/export?format=csv').set(token).expect(200);
    await w.db('host_user_roles').where({ user_id: 'u_staff', role: 'union_staff' }).delete();
    w.clock.tick(MINUTE);
    await w.api.get('/union/api/members/export?format=csv').set(token).expect(403);
    await w.api.get('/union/api/members').set(token).expect(403);

    const emp = bearer(w.token('u_emp'));
    await w.api.get('/union/api/members').set(emp).expect(403);
    await w.db('host_user_roles').insert({ user_id: 'u_emp', role: 'union_staff' });
    w.clock.tick(MINUTE);
    await w.api.get('/union/api/members').set(emp).expect(200);
  });

  it('a token claiming roles the host never gave grants nothing beyond a member’s', async () => {
    const forged = bearer(w.token('u_emp', ['employee', 'union_chair', 'admin']));
    const me = await w.api.get('/union/api/me').set(forged).expect(200);
    expect(me.body.roles).to.deep.equal(['union.member']);
    await w.api.get('/union/api/members/export').set(forged).expect(403);
    const stranger = bearer(w.token('nobody-in-hr', ['admin']));
    await w.api.get('/union/api/members').set(stranger).expect(403);
  });

  it('a host without currentRoles: the token’s roles count, exits still end staff rights, and the module says so once', async () => {
    delete (w.host.host.auth as { currentRoles?: unknown }).currentRoles;
    const token = staffToken(w);
    await w.api.get('/union/api/members').set(token).expect(200);
    await w.api
      .get('/union/api/members')
      .set(bearer(w.token('u_emp', ['employee', 'union_staff'])))
      .expect(200);
    const warnings = w.logger.entries.filter((e) => e.level === 'warn' && /currentRoles|current roles/.test(e.msg ?? ''));
    expect(warnings).to.have.length(1);
    await w.api.post('/hr/api/employees/u_staff/exit').set(admin(w)).send({ exitDate: TODAY }).expect(200);
    w.clock.tick(MINUTE);
    await w.api.get('/union/api/members').set(token).expect(403);
  });
});

describe('access: the standing cache', () => {
  const s: Standing = { employment: 'employed', hostRoles: ['employee'], anchorOrgs: [1], staffScope: WHOLE_UNION };

  it('forgets an entry after its time, and never holds more than its size', () => {
    const c = new StandingCache(30_000, 3);
    c.set('a', s, 0);
    expect(c.get('a', 29_999)).to.equal(s);
    expect(c.get('a', 30_000)).to.equal(undefined);
    expect(c.get('a', -1)).to.equal(undefined, 'a clock that went back does not keep it either');
    for (const id of ['a', 'b', 'c', 'd']) c.set(id, s, 100);
    expect(c.size).to.equal(3);
    expect(c.get('a', 101)).to.equal(undefined, 'the oldest went first');
    expect(c.get('d', 101)).to.equal(s);
  });

  it('the module’s cache lives under a minute', () => {
    const c = new StandingCache();
    expect(c.ttlMs).to.be.at.most(MINUTE);
    expect(c.max).to.be.at.most(100_000);
  });
});
