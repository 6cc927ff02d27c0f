import { expect } from 'chai';
import { categoryFrom, compositionWarnings, passes, quorumMet, windowOpen } from '../../plugin/services/congress/rules';
import { afterRating } from '../../plugin/services/congress/flow';
import { stepOrderError } from '../../plugin/services/congress/matters';

describe('congress rules (pure, table-tested)', () => {
  const quorum: Array<[present: number, total: number, met: boolean]> = [
    [0, 0, false],
    [2, 3, true],
    [1, 3, false],
    [4, 6, true],
    [3, 6, false],
    [66, 100, false],
    [67, 100, true],
    [200, 300, true],
    [199, 300, false],
  ];
  for (const [present, total, met] of quorum)
    it(`quorum: ${present} of ${total} present → ${met}`, () => expect(quorumMet(present, total)).to.equal(met));

  const majority: Array<[forVotes: number, total: number, passed: boolean]> = [
    [0, 0, false],
    [3, 6, false],
    [4, 6, true],
    [3, 5, true],
    [2, 5, false],
    [50, 100, false],
    [51, 100, true],
  ];
  for (const [f, total, passed] of majority)
    it(`majority: ${f} for of ${total} delegates → ${passed}`, () => expect(passes(f, total)).to.equal(passed));

  it('composition: at the limit is no warning, one over is; minimum shares warn below', () => {
    const rules = { managerMaxPct: 20, womenMinPct: 30, frontLineMinPct: 50 };
    expect(compositionWarnings({ total: 10, managers: 2, women: 3, frontLine: 5 }, rules)).to.deep.equal([]);
    expect(compositionWarnings({ total: 10, managers: 3, women: 2, frontLine: 4 }, rules).map((x) => x.rule)).to.deep.equal([
      'managerMax',
      'womenMin',
      'frontLineMin',
    ]);
    expect(
      compositionWarnings(
        { total: 10, managers: 9, women: 0, frontLine: 0 },
        { managerMaxPct: null, womenMinPct: null, frontLineMinPct: null },
      ),
    ).to.deep.equal([]);
    expect(compositionWarnings({ total: 0, managers: 0, women: 0, frontLine: 0 }, rules)).to.deep.equal([]);
  });

  it('category from HR: a manager flag wins, shift workers are front-line, else other', () => {
    expect(categoryFrom({ manager: true, shiftWorker: true })).to.equal('manager');
    expect(categoryFrom({ shiftWorker: true })).to.equal('front_line');
    expect(categoryFrom({ manager: 'yes' })).to.equal('other');
    expect(categoryFrom(null)).to.equal('other');
  });

  it('motion window: inclusive at both ends, open when unset', () => {
    expect(windowOpen('2026-12-01', '2026-12-01', '2026-12-05')).to.equal(true);
    expect(windowOpen('2026-12-05', '2026-12-01', '2026-12-05')).to.equal(true);
    expect(windowOpen('2026-12-06', '2026-12-01', '2026-12-05')).to.equal(false);
    expect(windowOpen('2026-11-30', '2026-12-01', null)).to.equal(false);
    expect(windowOpen('2030-01-01', null, null)).to.equal(true);
  });

  it('不满意 sends back once; a second 不满意 and any other rating close', () => {
    expect(afterRating({ sent_back: 0 }, 'dissatisfied')).to.equal('assigned');
    expect(afterRating({ sent_back: 1 }, 'dissatisfied')).to.equal('closed');
    expect(afterRating({ sent_back: 0 }, 'basically_satisfied')).to.equal('closed');
  });

  it('matter steps must be dated in the order of the preparation', () => {
    expect(stepOrderError({ collect_views: '2026-12-01', explain: '2026-12-03', prepare_vote: '2026-12-10' })).to.equal(null);
    expect(stepOrderError({ collect_views: '2026-12-05', pre_review: '2026-12-03' })).to.equal('pre_review');
  });
});
