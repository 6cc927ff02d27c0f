/**
 * Activities on the desk: activities starting within a week that still have a waitlist; participation
 * (members at one or more activities in the period's year, 参与分析's own figure) and satisfaction.
 * The activities area is union-wide (activities have no org); participation and satisfaction are narrowed
 * to a branch's orgs by the members' org, as 参与分析 groups them.
 */
import { participation } from '../../activities/participation';
import { averageScore, largestActivities, scoresByMonth, startingWithWaitlist } from '../../activities/desk-figures';
import { rate } from '../../activities/rules';
import { AP } from '../../../routes/activities/permissions';
import type { Ctx } from '../../../context';
import { orgInScope } from '../../scope';
import { asOfDate, monthsOf, previousPeriod, twelveMonthsTo, type Period } from '../period';
import type { DeskSource, Viewer } from '../types';

const WEEK_MS = 7 * 86_400_000;
const yearOf = (p: Period) => Number(p.to.slice(0, 4));

/** Participation for a year, as 参与分析 shows it (whole union) or summed over the viewer's orgs. */
export async function participationFor(ctx: Ctx, viewer: Viewer, year: number) {
  const p = await participation(ctx, year);
  if (viewer.scope.all) return { ...p, rows: p.byOrg };
  const rows = p.byOrg.filter((o) => orgInScope(viewer.scope, o.id));
  const members = rows.reduce((s, r) => s + r.members, 0);
  const tookPart = rows.reduce((s, r) => s + r.tookPart, 0);
  return {
    ...p,
    members,
    tookPart,
    threeOrMore: rows.reduce((s, r) => s + r.threeOrMore, 0),
    none: rows.reduce((s, r) => s + r.none, 0),
    participationRate: rate(tookPart, members),
    byOrg: rows,
    byDepartment: [],
    rows,
  };
}

const orgsOf = (v: Viewer) => (v.scope.all ? null : v.scope.orgIds);

export const activitiesSource: DeskSource = {
  area: 'activities',
  async todos(ctx, viewer) {
    if (!viewer.permissions.has(AP.activitiesManage)) return [];
    const now = ctx.now();
    const count = await startingWithWaitlist(ctx, now, new Date(now.getTime() + WEEK_MS));
    return [{ kind: 'activitiesWaitlist', count, href: '/union/activities/manage' }];
  },
  async kpis(ctx, viewer, period) {
    if (!viewer.permissions.has(AP.activitiesManage)) return [];
    const year = yearOf(period);
    const prev = previousPeriod(period);
    const [now, before, scores, prevScores] = await Promise.all([
      participationFor(ctx, viewer, year),
      participationFor(ctx, viewer, year - 1),
      scoresByMonth(ctx, monthsOf(period), orgsOf(viewer)),
      scoresByMonth(ctx, monthsOf(prev), orgsOf(viewer)),
    ]);
    const asOf = asOfDate(period, ctx.today());
    return [
      {
        key: 'participation',
        value: now.participationRate,
        previous: before.participationRate,
        unit: 'rate',
        asOf,
        href: '/union/activities/analysis',
      },
      {
        key: 'participationThreeOrMore',
        value: rate(now.threeOrMore, now.members),
        previous: rate(before.threeOrMore, before.members),
        unit: 'rate',
        asOf,
        href: '/union/activities/analysis',
      },
      {
        key: 'participationNone',
        value: rate(now.none, now.members),
        previous: rate(before.none, before.members),
        unit: 'rate',
        asOf,
        href: '/union/activities/analysis',
      },
      {
        key: 'activitySatisfaction',
        value: averageScore(scores),
        previous: averageScore(prevScores),
        unit: 'score',
        asOf,
        href: '/union/activities/analysis',
      },
    ];
  },
  async trend(ctx, viewer, key, period) {
    if (key !== 'activitySatisfaction') return null;
    const rows = await scoresByMonth(ctx, twelveMonthsTo(period), orgsOf(viewer));
    return rows.map((r) => ({ month: r.month, value: averageScore([r]) }));
  },
  async breakdown(ctx, viewer, key, period) {
    if (!['participation', 'participationThreeOrMore', 'participationNone'].includes(key)) return null;
    const p = await participationFor(ctx, viewer, yearOf(period));
    const pick = (r: { members: number; participationRate: number | null; shareThreeOrMore: number | null; shareNone: number | null }) =>
      key === 'participation' ? r.participationRate : key === 'participationNone' ? r.shareNone : r.shareThreeOrMore;
    return {
      byOrg: p.byOrg.map((r) => ({ name: r.name, value: pick(r), base: r.members })),
      byDepartment: p.byDepartment.map((r) => ({ name: r.name, value: pick(r), base: r.members })),
    };
  },
  async notable(ctx, viewer, period) {
    if (!viewer.permissions.has(AP.activitiesManage)) return [];
    const largest = await largestActivities(ctx, period.from, period.to);
    return largest.map((a) => ({
      kind: 'activity',
      text: 'desk.notable.activity',
      vars: { title: a.title, attended: a.attended, score: a.averageScore ?? '—' },
    }));
  },
};
