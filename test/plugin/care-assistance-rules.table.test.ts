import { expect } from 'chai';
import {
  ASSISTANCE_DEFAULTS,
  maskName,
  nextReviewOn,
  reviewEffect,
  reviewReminderDue,
  stepDays,
} from '../../plugin/services/care/assistance-rules';

describe('care: assistance rules (table)', () => {
  it('a public notice shows only the first character of a name', () => {
    const cases: Array<[string | null, string]> = [
      ['王小明', '王**'],
      ['欧阳娜娜', '欧***'],
      ['李雷', '李*'],
      ['张', '张*'],
      ['Alice Wang', 'A*********'],
      ['  赵六 ', '赵*'],
      ['', '*'],
      [null, '*'],
    ];
    for (const [name, shown] of cases) expect(maskName(name), String(name)).to.equal(shown);
  });

  it('urgent cases run on the shorter clock, step by step', () => {
    const steps = ['accept', 'verify', 'confer', 'pay', 'followUp'] as const;
    expect(steps.map((s) => stepDays(ASSISTANCE_DEFAULTS, false, s))).to.deep.equal([2, 5, 5, 5, 20]);
    expect(steps.map((s) => stepDays(ASSISTANCE_DEFAULTS, true, s))).to.deep.equal([0, 1, 1, 1, 10]);
    for (const s of steps) expect(stepDays(ASSISTANCE_DEFAULTS, true, s)).to.be.lessThan(stepDays(ASSISTANCE_DEFAULTS, false, s));
  });

  it('the review falls due a year on (29 February to 28 February)', () => {
    expect(nextReviewOn('2026-12-07')).to.equal('2027-12-07');
    expect(nextReviewOn('2028-02-29')).to.equal('2029-02-28');
  });

  it('the reminder goes out within the lead days, once per due date, only for cases on the list', () => {
    const row = (over: object = {}) => ({ on_list: true, review_due_on: '2027-12-07', review_reminded_for: null, ...over });
    const cases: Array<[object, string, boolean]> = [
      [row(), '2027-11-06', false],
      [row(), '2027-11-07', true],
      [row(), '2028-01-10', true], // overdue and never reminded
      [row({ review_reminded_for: '2027-12-07' }), '2027-11-20', false],
      [row({ review_reminded_for: '2026-12-07' }), '2027-11-20', true], // last year's reminder
      [row({ on_list: false }), '2027-11-20', false],
      [row({ review_due_on: null }), '2027-11-20', false],
    ];
    for (const [r, today, due] of cases)
      expect(reviewReminderDue(r as Parameters<typeof reviewReminderDue>[0], today, 30), `${JSON.stringify(r)} ${today}`).to.equal(due);
  });

  it('review outcomes: continue keeps, change_grade needs a different grade, leave ends the place on the list', () => {
    expect(reviewEffect('relative', { outcome: 'continue' })).to.deep.equal({ grade: 'relative', onList: true });
    expect(reviewEffect('relative', { outcome: 'change_grade', grade: 'deep' })).to.deep.equal({ grade: 'deep', onList: true });
    expect(reviewEffect('relative', { outcome: 'change_grade', grade: 'relative' })).to.have.nested.property('error.path', 'body.grade');
    expect(reviewEffect('relative', { outcome: 'change_grade' })).to.have.nested.property('error.path', 'body.grade');
    expect(reviewEffect('sudden', { outcome: 'leave' })).to.deep.equal({ grade: 'sudden', onList: false });
  });
});
