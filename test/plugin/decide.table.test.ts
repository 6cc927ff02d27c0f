import { expect } from 'chai';
import { decide, type Fact, type MembershipRow, type MembershipStatus, type Transition } from '../../plugin/services/decide';

/** The rules as a table: each row is a person's facts and membership today, and what decide() says is due. */
const TODAY = '2026-11-23';
const orgOf = (dept: string) => ({ D01: 11, D02: 12 })[dept] ?? null;

function fact(over: Partial<Fact> = {}): Fact {
  return {
    employee_id: 'E1',
    department_id: 'D01',
    status: 'employed',
    hire_date: '2020-03-01',
    exit_date: null,
    retired: false,
    hire_applied: true,
    version: 1,
    ...over,
  };
}

function member(status: MembershipStatus, over: Partial<MembershipRow> = {}): MembershipRow {
  return {
    id: 1,
    employee_id: 'E1',
    member_no: 'GH20200001',
    status,
    org_id: 11,
    department_id: 'D01',
    joined_at: '2020-03-01',
    expired_at: null,
    status_reason: null,
    consent_at: null,
    consent_method: 'policy',
    override_status: null,
    override_until: null,
    version: 1,
    ...over,
  };
}

type Row = [
  name: string,
  input: { fact?: Fact; membership?: MembershipRow; onHire?: 'activate' | 'invite' },
  expected: Array<Partial<Transition>>,
  markHireApplied?: boolean,
];

const TABLE: Row[] = [
  ['nothing known of the person: nothing happens', {}, []],
  [
    'a hire due today, policy activate: joins by policy',
    { fact: fact({ hire_date: TODAY, hire_applied: false }) },
    [{ kind: 'join', date: TODAY, consentMethod: 'policy', reason: 'hired' }],
    true,
  ],
  [
    'a hire due today, policy invite: invited',
    { fact: fact({ hire_date: TODAY, hire_applied: false }), onHire: 'invite' },
    [{ kind: 'invite', reason: 'hired' }],
    true,
  ],
  [
    'a hire due, already invited: not invited twice',
    { fact: fact({ hire_date: TODAY, hire_applied: false }), membership: member('pending'), onHire: 'invite' },
    [],
    true,
  ],
  [
    'a re-hire of a former member: joins again (rehired)',
    { fact: fact({ hire_date: TODAY, hire_applied: false }), membership: member('expired') },
    [{ kind: 'join', reason: 'rehired' }],
    true,
  ],
  ['a hire dated tomorrow: nothing yet', { fact: fact({ hire_date: '2026-11-24', hire_applied: false }) }, []],
  ['a hire already applied: nothing', { fact: fact(), membership: member('active') }, []],
  [
    'an exit today (the first day away): the membership expires',
    { fact: fact({ exit_date: TODAY }), membership: member('active') },
    [{ kind: 'expire', date: TODAY, reason: 'exited' }],
  ],
  ['an exit tomorrow: still a member today', { fact: fact({ exit_date: '2026-11-24' }), membership: member('active') }, []],
  [
    'a retirement: the membership is retained',
    { fact: fact({ exit_date: TODAY, retired: true }), membership: member('active') },
    [{ kind: 'retain', date: TODAY, reason: 'retired' }],
  ],
  [
    'a pending invitee exits: expired, never retained',
    { fact: fact({ exit_date: TODAY, retired: true }), membership: member('pending') },
    [{ kind: 'expire' }],
  ],
  ['an exit of someone already expired: nothing', { fact: fact({ exit_date: '2026-01-01' }), membership: member('expired') }, []],
  ['an exit of someone who withdrew: nothing', { fact: fact({ exit_date: '2026-01-01' }), membership: member('withdrawn') }, []],
  [
    'an old exit before a newer hire (re-hired): stays a member',
    { fact: fact({ hire_date: '2026-06-01', exit_date: '2026-01-01' }), membership: member('active') },
    [],
  ],
  [
    'a hire and an exit both missed: joins, then expires, in that order',
    { fact: fact({ hire_date: '2026-10-01', exit_date: '2026-11-01', hire_applied: false }) },
    [
      { kind: 'join', date: '2026-10-01' },
      { kind: 'expire', date: '2026-11-01' },
    ],
    true,
  ],
  [
    'a member moved to a department of another org: transferred (会籍接转)',
    { fact: fact({ department_id: 'D02' }), membership: member('active') },
    [{ kind: 'transfer', toOrg: 12, toDepartment: 'D02' }],
  ],
  [
    'a member moved to an unmapped department: keeps the org, records the department',
    { fact: fact({ department_id: 'D09' }), membership: member('active') },
    [{ kind: 'transfer', toOrg: 11, toDepartment: 'D09' }],
  ],
  [
    'a retained retiree moved in HR: no transfer',
    { fact: fact({ department_id: 'D02', exit_date: '2026-01-01', retired: true }), membership: member('retained') },
    [],
  ],
  [
    'an override ends when the person exits: cleared, then the exit applies',
    { fact: fact({ exit_date: TODAY }), membership: member('active', { override_status: 'active' }) },
    [
      { kind: 'clear_override', reason: 'exited' },
      { kind: 'expire', date: TODAY },
    ],
  ],
  // 有效至 is inclusive: on the until day the hand-set status still holds; the rules take over the day after.
  [
    'a hand-set withdrawal until today still holds today against a re-hire',
    {
      fact: fact({ hire_date: TODAY, hire_applied: false }),
      membership: member('withdrawn', { override_status: 'withdrawn', override_until: TODAY }),
    },
    [],
    true,
  ],
  [
    'a hand-set withdrawal that ended yesterday is cleared, then the re-hire joins',
    {
      fact: fact({ hire_date: TODAY, hire_applied: false }),
      membership: member('withdrawn', { override_status: 'withdrawn', override_until: '2026-11-22' }),
    },
    [
      { kind: 'clear_override', reason: 'override_ended' },
      { kind: 'join', reason: 'rehired' },
    ],
    true,
  ],
];

describe('decide(): the membership rules, row by row', () => {
  for (const [name, input, expected, markHireApplied = false] of TABLE) {
    it(name, () => {
      const d = decide({ fact: input.fact, membership: input.membership, today: TODAY, onHire: input.onHire ?? 'activate', orgOf });
      expect(d.transitions).to.have.length(expected.length);
      expected.forEach((e, i) => expect(d.transitions[i]).to.include(e));
      expect(d.markHireApplied).to.equal(markHireApplied);
    });
  }
});
