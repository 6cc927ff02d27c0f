/**
 * The workers' congress on the desk: motions past their answer deadline (every one for the committee, who
 * chase them, and for the staff who record answers; an answerer's own otherwise) and votes left open (for
 * those who run the session and close them). The congress is union-wide: sessions have no branch. For the
 * report: the period's resolutions (votes passed and failed) and motion answers with their ratings.
 */
import { answersBetween, openVotes, overdueMotions, resolutionsBetween } from '../../congress/desk-figures';
import { C } from '../../../routes/congress/permissions';
import type { DeskSource, Notable, Todo } from '../types';

export const congressSource: DeskSource = {
  area: 'congress',
  async todos(ctx, viewer) {
    const manage = viewer.permissions.has(C.congressManage);
    const all = manage || viewer.permissions.has(C.congressPrepare);
    // Anyone named as a motion's answerer may answer it; only they see it, and only their own.
    const [overdue, votes] = await Promise.all([overdueMotions(ctx, all ? null : viewer.id), manage ? openVotes(ctx) : 0]);
    const out: Todo[] = [];
    if (all || overdue) out.push({ kind: 'motionsOverdue', count: overdue, href: '/union/congress/manage' });
    if (manage) out.push({ kind: 'votesOpen', count: votes, href: '/union/congress/manage' });
    return out;
  },
  async kpis() {
    return [];
  },
  async notable(ctx, viewer, period) {
    if (!viewer.permissions.has(C.congressManage)) return [];
    const [votes, answers] = await Promise.all([
      resolutionsBetween(ctx, period.from, period.to),
      answersBetween(ctx, period.from, period.to),
    ]);
    const out: Notable[] = [];
    if (votes.passed + votes.failed)
      out.push({ kind: 'resolutions', text: 'desk.notable.resolutions', vars: { total: votes.passed + votes.failed, ...votes } });
    if (answers.answered) out.push({ kind: 'motionAnswers', text: 'desk.notable.motionAnswers', vars: { ...answers } });
    return out;
  },
};
