import { expect } from 'chai';
import { decide, statusByHand, type Fact, type HandSet, type MembershipRow } from '../../plugin/services/decide';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

const fact = (over: Partial<Fact> = {}): Fact => ({
  employee_id: 'E1',
  department_id: 'D01',
  status: 'employed',
  hire_date: '2024-03-01',
  exit_date: null,
  retired: false,
  hire_applied: true,
  version: 1,
  ...over,
});
const member = (over: Partial<MembershipRow> = {}): MembershipRow => ({
  id: 1,
  employee_id: 'E1',
  member_no: 'GH20240001',
  status: 'active',
  org_id: 1,
  department_id: 'D01',
  joined_at: '2024-03-01',
  expired_at: null,
  status_reason: null,
  consent_at: null,
  consent_method: null,
  override_status: null,
  override_until: null,
  version: 1,
  ...over,
});
const kinds = (f: Fact, m: MembershipRow | undefined) =>
  decide({ fact: f, membership: m, today: TODAY, onHire: 'activate', orgOf: () => 1 }).transitions.map((t) =>
    t.kind === 'clear_override' ? `clear_override:${t.reason}` : t.kind,
  );

describe('decide(): a hand-set status never outlives the exit', () => {
  const exited = fact({ exit_date: '2026-11-20', status: 'exited' });
  const cases: Array<[string, Fact, MembershipRow, string[]]> = [
    ['open-ended override, person still employed: held', fact(), member({ override_status: 'active' }), []],
    [
      'open-ended override, person exited: cleared and expired',
      exited,
      member({ override_status: 'active' }),
      ['clear_override:exited', 'expire'],
    ],
    [
      'override with a later end date, person exited: cleared at the exit anyway',
      exited,
      member({ override_status: 'active', override_until: '2027-06-30' }),
      ['clear_override:exited', 'expire'],
    ],
    [
      'pending override, person exited: cleared, pending expires',
      exited,
      member({ status: 'pending', override_status: 'pending' }),
      ['clear_override:exited', 'expire'],
    ],
    [
      'retained override after a retirement: cleared, status kept',
      exited,
      member({ status: 'retained', override_status: 'retained' }),
      ['clear_override:exited'],
    ],
    [
      'override whose end date passed, employed: cleared as ended',
      fact(),
      member({ override_status: 'active', override_until: '2026-11-01' }),
      ['clear_override:override_ended'],
    ],
    [
      'exit dated before a re-hire is not an exit: the override holds',
      fact({ hire_date: '2026-11-01', exit_date: '2026-10-01' }),
      member({ override_status: 'active' }),
      [],
    ],
  ];
  for (const [name, f, m, expected] of cases) it(name, () => expect(kinds(f, m)).to.deep.equal(expected));
});

describe('statusByHand(): joining by staff needs recorded consent', () => {
  const set = (over: Partial<HandSet> = {}): HandSet => ({ status: 'active', reason: '补录', date: TODAY, until: null, ...over });
  const run = (s: HandSet, m?: Pick<MembershipRow, 'status'>, employed = true) =>
    statusByHand({ membership: m, hireDate: '2024-03-01', employed, today: TODAY, set: s });
  const path = (d: ReturnType<typeof run>) => ('invalid' in d ? d.invalid.path : 'ok');

  const refused: Array<[string, HandSet, Pick<MembershipRow, 'status'> | undefined, boolean, string]> = [
    ['never joined, no evidence', set(), undefined, true, 'body.consentDate'],
    ['never joined, a date but no reference', set({ consentDate: '2026-11-20' }), undefined, true, 'body.consentRef'],
    ['a form dated in the future', set({ consentDate: '2026-11-24', consentRef: 'F-1' }), undefined, true, 'body.consentDate'],
    ['a form dated before the hire', set({ consentDate: '2024-02-29', consentRef: 'F-1' }), undefined, true, 'body.consentDate'],
    ['withdrew, back without new evidence', set(), { status: 'withdrawn' }, true, 'body.consentDate'],
    ['expired, back without new evidence', set(), { status: 'expired' }, true, 'body.consentDate'],
    ['someone who has left made active', set({ consentDate: '2026-11-20', consentRef: 'F-1' }), undefined, false, 'body.status'],
    ['a non-member kept as retained', set({ status: 'retained' }), undefined, true, 'body.status'],
  ];
  for (const [name, s, m, employed, field] of refused)
    it(`refuses: ${name} (${field})`, () => expect(path(run(s, m, employed))).to.equal(field));

  it('accepts the paper form, dated as it was signed, and keeps its reference', () => {
    const d = run(set({ consentDate: '2024-03-01', consentRef: ' 入会申请书 117 ' }));
    expect(d).to.deep.equal({
      transition: {
        kind: 'set_status',
        status: 'active',
        reason: '补录',
        date: TODAY,
        override: true,
        until: null,
        consent: { at: '2024-03-01 00:00:00.000', ref: '入会申请书 117' },
      },
    });
  });

  it('a member set active again, or set aside, needs no new consent and invents none', () => {
    const again = run(set(), { status: 'active' });
    expect('transition' in again && again.transition.consent).to.equal(undefined);
    expect(path(run(set({ status: 'expired' }), undefined))).to.equal('ok');
  });
});

describe('setting a status by hand through the API', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());
  const chair = (w: World) => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const post = (w: World, body: object) => w.api.post('/union/api/members/u_emp/status').set(chair(w)).send(body);

  it('without evidence: 400 naming consentDate, and nothing written', async () => {
    const res = await post(w, { status: 'active', reason: '补录会员' }).expect(400);
    expect(res.body.error.details[0].path).to.equal('body.consentDate');
    const future = await post(w, { status: 'active', reason: '补录会员', consentDate: '2026-12-01', consentRef: 'F-9' }).expect(400);
    expect(future.body.error.details[0].path).to.equal('body.consentDate');
    const bad = await post(w, { status: 'active', reason: '补录会员', consentDate: '2026-13-01', consentRef: 'F-9' }).expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include('body.consentDate');
    expect(await w.db('union_memberships').where({ employee_id: 'u_emp' }).first()).to.equal(undefined);
    expect(await w.db('union_audit').where({ entity: 'membership', entity_id: 'u_emp' })).to.have.length(0);
    expect(w.notify.calledWithMatch({ to: ['u_emp'] })).to.equal(false);
  });

  it('with the paper form: the consent is its date and reference; one history row, one audit row, one message', async () => {
    await post(w, { status: 'active', reason: '补录会员', consentDate: '2026-11-20', consentRef: '入会申请书 2026-117' }).expect(200);
    const m = await w.db('union_memberships').where({ employee_id: 'u_emp' }).first();
    expect(m).to.include({ status: 'active', consent_method: 'staff', consent_ref: '入会申请书 2026-117', override_status: 'active' });
    expect(String(m.consent_at)).to.match(/^2026-11-20 00:00:00/);
    expect(await w.db('union_membership_history').where({ membership_id: m.id })).to.have.length(1);
    const audit = await w.db('union_audit').where({ entity: 'membership', entity_id: 'u_emp' });
    expect(audit.map((a) => a.action)).to.deep.equal(['membership.set_status']);
    expect(w.notify.getCalls().filter((c) => c.args[0].to.includes('u_emp'))).to.have.length(1);
    expect(w.notify.calledWithMatch({ to: ['u_emp'], template: 'union.member.joined' })).to.equal(true);
  });

  it('the override ends when the person exits: the exit expires the membership at once', async () => {
    await post(w, { status: 'active', reason: '补录会员', consentDate: '2026-11-20', consentRef: 'F-117' }).expect(200);
    await w.api
      .post('/hr/api/employees/u_emp/exit')
      .set(bearer(w.token('admin', ['admin'])))
      .send({ exitDate: TODAY, reason: '辞职' })
      .expect(200);
    const m = await w.db('union_memberships').where({ employee_id: 'u_emp' }).first();
    expect(m).to.include({ status: 'expired', override_status: null, override_until: null });
    const steps = await w.db('union_membership_history').where({ membership_id: m.id }).orderBy('id');
    expect(steps.map((h) => [h.to_status, h.reason])).to.deep.equal([
      ['active', '补录会员'],
      ['active', 'exited'],
      ['expired', 'exited'],
    ]);
    const again = await post(w, { status: 'active', reason: '再补录', consentDate: '2026-11-21', consentRef: 'F-118' }).expect(400);
    expect(again.body.error.details[0].path).to.equal('body.status');
  });
});
