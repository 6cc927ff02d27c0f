import { expect } from 'chai';
import { average, fits, inCheckinWindow, rate, registrationOpen, shownStatus, timeProblems } from '../../plugin/services/activities/rules';
import { audienceIncludes } from '../../plugin/services/activities/audience';
import { isoToZoned, parseOptions, zonedToIso } from '../../plugin/services/activities/form';

const at = (s: string) => new Date(s);

describe('activities: the pure rules', () => {
  it('fits: one more place only when every counter (activity and each chosen option) has room', () => {
    const table: Array<[Array<{ capacity: number | null; taken: number }>, boolean]> = [
      [[{ capacity: null, taken: 1000 }], true],
      [[{ capacity: 2, taken: 1 }], true],
      [[{ capacity: 2, taken: 2 }], false],
      [
        [
          { capacity: 10, taken: 3 },
          { capacity: 5, taken: 5 },
        ],
        false,
      ],
      [
        [
          { capacity: 10, taken: 3 },
          { capacity: null, taken: 50 },
        ],
        true,
      ],
      [[], true],
    ];
    for (const [counters, expected] of table) expect(fits(counters), JSON.stringify(counters)).to.equal(expected);
  });

  it('registration is open while published and before the deadline', () => {
    const deadline = at('2026-11-30T10:00:00Z');
    expect(registrationOpen({ status: 'published', registrationDeadline: deadline }, at('2026-11-30T09:59:59Z'))).to.equal('open');
    expect(registrationOpen({ status: 'published', registrationDeadline: deadline }, deadline)).to.equal('deadline_passed');
    expect(registrationOpen({ status: 'draft', registrationDeadline: deadline }, at('2026-11-01T00:00:00Z'))).to.equal('closed');
    expect(registrationOpen({ status: 'cancelled', registrationDeadline: deadline }, at('2026-11-01T00:00:00Z'))).to.equal('closed');
  });

  it('the check-in window runs from an hour before the start to the end', () => {
    const w = { startAt: at('2026-12-01T01:00:00Z'), endAt: at('2026-12-01T04:00:00Z') };
    const table: Array<[string, boolean]> = [
      ['2026-11-30T23:59:59Z', false],
      ['2026-12-01T00:00:00Z', true],
      ['2026-12-01T04:00:00Z', true],
      ['2026-12-01T04:00:01Z', false],
    ];
    for (const [now, expected] of table) expect(inCheckinWindow(w, at(now)), now).to.equal(expected);
  });

  it('times in the wrong order name the field', () => {
    expect(
      timeProblems({ startAt: at('2026-12-01T01:00Z'), endAt: at('2026-12-01T01:00Z'), registrationDeadline: at('2026-11-30T00:00Z') }),
    ).to.deep.equal([{ path: 'body.endAt', message: 'must be after startAt' }]);
    expect(
      timeProblems({ startAt: at('2026-12-01T01:00Z'), endAt: at('2026-12-01T02:00Z'), registrationDeadline: at('2026-12-01T01:30Z') }),
    ).to.deep.equal([{ path: 'body.registrationDeadline', message: 'must not be after startAt' }]);
  });

  it('status shown, rates and averages', () => {
    expect(shownStatus({ status: 'registered', checkedInAt: '2026-12-01 01:00:00.000' })).to.equal('attended');
    expect(shownStatus({ status: 'registered', checkedInAt: null })).to.equal('registered');
    expect(shownStatus({ status: 'waitlisted', checkedInAt: null })).to.equal('waitlisted');
    expect(rate(3, 4)).to.equal(0.75);
    expect(rate(1, 3)).to.equal(0.3333);
    expect(rate(0, 0)).to.equal(null);
    expect(average([5, 4])).to.equal(4.5);
    expect(average([])).to.equal(null);
  });

  it('audiences: members, some orgs, some departments, service groups, everyone employed', () => {
    type P = Parameters<typeof audienceIncludes>[1];
    const member: P = { employed: true, member: { orgId: 2, departmentId: 'D03' }, groups: [] };
    const employee: P = { employed: true, member: null, groups: [] };
    const shiftWorker: P = { employed: true, member: null, groups: ['shift_worker'] };
    const table: Array<[Parameters<typeof audienceIncludes>[0], P, boolean]> = [
      [{ kind: 'members', ids: [] }, member, true],
      [{ kind: 'members', ids: [] }, employee, false],
      [{ kind: 'orgs', ids: ['2'] }, member, true],
      [{ kind: 'orgs', ids: ['3'] }, member, false],
      [{ kind: 'departments', ids: ['D03'] }, member, true],
      [{ kind: 'departments', ids: ['D01'] }, member, false],
      [{ kind: 'groups', ids: ['female', 'shift_worker'] }, shiftWorker, true],
      [{ kind: 'groups', ids: ['female'] }, shiftWorker, false],
      [{ kind: 'groups', ids: ['shift_worker'] }, member, false],
      [{ kind: 'employed', ids: [] }, employee, true],
      [{ kind: 'employed', ids: [] }, { employed: false, member: null, groups: [] }, false],
    ];
    for (const [a, p, expected] of table) expect(audienceIncludes(a, p), `${a.kind} ${JSON.stringify(p)}`).to.equal(expected);
  });

  it('the staff form: Beijing wall-clock times and option lines', () => {
    expect(zonedToIso('2026-12-01T09:00', 'Asia/Shanghai', 'startAt')).to.equal('2026-12-01T01:00:00.000Z');
    expect(isoToZoned('2026-12-01T01:00:00.000Z', 'Asia/Shanghai')).to.equal('2026-12-01T09:00');
    expect(() => zonedToIso('tomorrow', 'Asia/Shanghai', 'startAt')).to.throw(/body.startAt/);
    expect(parseOptions('跑步:20\n 拔河 \n\n跳绳：8')).to.deep.equal([
      { name: '跑步', capacity: 20 },
      { name: '拔河', capacity: null },
      { name: '跳绳', capacity: 8 },
    ]);
  });
});
