import { expect } from 'chai';
import { blankFact, foldEvent, type FactOutcome, type FactRow } from '../../plugin/services/employment';
import type { HostEvent } from '../../plugin/host';

/** How one host event changes what the module knows of a person's employment: dates decide, not arrival order. */
const TZ = 'Asia/Shanghai';
const REASONS = ['retired', '退休'];

function known(over: Partial<FactRow> = {}): FactRow {
  return {
    ...blankFact('E1'),
    department_id: 'D01',
    status: 'employed',
    hire_date: '2026-01-05',
    hire_applied: true,
    version: 1,
    fact_at: '2026-01-05 01:00:00.000',
    dept_at: '2026-01-05 01:00:00.000',
    ...over,
  };
}

const ev = (type: HostEvent['type'], timestamp: string, data: Omit<HostEvent['data'], 'employeeId'> = {}): HostEvent => ({
  id: 'x',
  type,
  timestamp,
  data: { employeeId: 'E1', ...data },
});

type Row = [name: string, before: FactRow, event: HostEvent, outcome: FactOutcome, after?: Partial<FactRow>];

const TABLE: Row[] = [
  [
    'a first hire records the date, the department and employment',
    blankFact('E1'),
    ev('employee.hired', '2026-11-23T02:00:00Z', { hireDate: '2026-11-23', departmentId: 'D02' }),
    'applied',
    { hire_date: '2026-11-23', department_id: 'D02', status: 'employed', hire_applied: false },
  ],
  [
    'a hire without a date is dated by its time in Shanghai',
    blankFact('E1'),
    ev('employee.hired', '2026-11-22T17:00:00Z'),
    'applied',
    { hire_date: '2026-11-23' },
  ],
  [
    'a hire older than the known one belongs to an earlier employment',
    known(),
    ev('employee.hired', '2026-11-23T02:00:00Z', { hireDate: '2025-03-01' }),
    'stale',
  ],
  [
    'the same hire again with the same department changes nothing',
    known(),
    ev('employee.hired', '2026-11-23T02:00:00Z', { hireDate: '2026-01-05', departmentId: 'D01' }),
    'noop',
  ],
  [
    'the same hire again, sent later with another department, moves the department',
    known(),
    ev('employee.hired', '2026-11-23T02:00:00Z', { hireDate: '2026-01-05', departmentId: 'D02' }),
    'applied',
    { department_id: 'D02' },
  ],
  [
    'a re-hire after an exit clears the exit',
    known({ exit_date: '2026-06-01', status: 'exited' }),
    ev('employee.hired', '2026-11-23T02:00:00Z', { hireDate: '2026-11-23' }),
    'applied',
    { hire_date: '2026-11-23', exit_date: null, status: 'employed' },
  ],
  [
    'a hire arriving after a later exit (which came early) keeps that exit',
    blankFact('E1'),
    ev('employee.hired', '2026-11-23T02:00:00Z', { hireDate: '2026-11-01' }),
    'applied',
    { hire_date: '2026-11-01' },
  ],
  [
    'an exit records the first day away',
    known(),
    ev('employee.exited', '2026-11-23T02:00:00Z', { exitDate: '2026-11-30' }),
    'applied',
    { exit_date: '2026-11-30', status: 'exited', retired: false },
  ],
  [
    'an exit for retirement marks the person retired',
    known(),
    ev('employee.exited', '2026-11-23T02:00:00Z', { exitDate: '2026-11-30', reason: '退休' }),
    'applied',
    { retired: true, status: 'retired' },
  ],
  [
    'an exit dated before the known hire is stale (an earlier employment)',
    known(),
    ev('employee.exited', '2026-11-23T02:00:00Z', { exitDate: '2025-12-31' }),
    'stale',
  ],
  [
    'an exit on the hire day that happened before the hire was recorded is stale',
    known(),
    ev('employee.exited', '2026-01-05T00:30:00Z', { exitDate: '2026-01-05' }),
    'stale',
  ],
  [
    'an exit on the hire day that happened after it applies',
    known(),
    ev('employee.exited', '2026-01-05T03:00:00Z', { exitDate: '2026-01-05' }),
    'applied',
    { exit_date: '2026-01-05' },
  ],
  [
    'the same exit twice changes nothing',
    known({ exit_date: '2026-11-30', status: 'exited' }),
    ev('employee.exited', '2026-11-23T02:00:00Z', { exitDate: '2026-11-30' }),
    'noop',
  ],
  [
    'a transfer newer than the known department applies',
    known(),
    ev('employee.transferred', '2026-11-23T02:00:00Z', { departmentId: 'D02' }),
    'applied',
    { department_id: 'D02', dept_at: '2026-11-23 02:00:00.000' },
  ],
  [
    'a transfer older than the known department is stale',
    known({ dept_at: '2026-11-24 00:00:00.000' }),
    ev('employee.transferred', '2026-11-23T02:00:00Z', { departmentId: 'D02' }),
    'stale',
  ],
  [
    'a transfer to the same department changes nothing',
    known(),
    ev('employee.transferred', '2026-11-23T02:00:00Z', { departmentId: 'D01' }),
    'noop',
  ],
  ['an update without a department changes nothing', known(), ev('employee.updated', '2026-11-23T02:00:00Z'), 'noop'],
];

describe('foldEvent(): one host event into the employment facts, row by row', () => {
  for (const [name, before, event, outcome, after] of TABLE) {
    it(name, () => {
      const r = foldEvent(before, event, TZ, REASONS);
      expect(r.outcome).to.equal(outcome);
      if (outcome === 'stale') expect(r.next).to.deep.equal(before);
      if (after) expect(r.next).to.include(after);
    });
  }
});
