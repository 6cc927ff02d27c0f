/** Membership on the desk: join applications and stale invitations to act on; coverage from the coverage page. */
import { countApplications } from '../../application-counts';
import { unansweredInvitations } from '../../invitation-counts';
import { coverage } from '../../coverage';
import { coverageAt, coverageTrend } from '../../coverage-trend';
import { sqlDateTime } from '../../../lib/time';
import { P } from '../../../routes/membership/permissions';
import type { Ctx } from '../../../context';
import { asOfDate, isRunning, previousPeriod, twelveMonthsTo, type Period } from '../period';
import type { DeskSource, Todo, Viewer } from '../types';

/** Invitations older than this are worth a reminder (批量邀请 reminds after three days; two weeks is stale). */
export const STALE_INVITATION_DAYS = 14;

const monthsBetween = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));

/** Coverage at the end of each month up to `end`'s month, read from the coverage page's own trend. */
async function coverageMonths(ctx: Ctx, viewer: Viewer, end: string, months: number) {
  const back = monthsBetween(end, ctx.today());
  const points = await coverageTrend(ctx, viewer.scope, months + Math.max(0, back));
  return points.slice(0, months);
}

async function rateAt(ctx: Ctx, viewer: Viewer, p: Period): Promise<number | null> {
  if (isRunning(p, ctx.today())) return (await coverage(ctx, viewer.scope)).rate;
  if (p.from > ctx.today()) return null;
  const point = await coverageAt(ctx, viewer.scope, p.to);
  return point.rate === null ? null : Math.round(point.rate * 10000) / 10000;
}

export const membershipSource: DeskSource = {
  area: 'membership',
  async todos(ctx, viewer) {
    const out: Todo[] = [];
    if (viewer.permissions.has(P.membersApprove)) {
      out.push({ kind: 'applications', count: await countApplications(ctx, 'submitted', viewer.scope), href: '/union/applications' });
    }
    if (viewer.permissions.has(P.membersManage)) {
      const before = sqlDateTime(new Date(ctx.now().getTime() - STALE_INVITATION_DAYS * 86_400_000));
      out.push({ kind: 'invitations', count: await unansweredInvitations(ctx, viewer.scope, before), href: '/union/invitations' });
    }
    return out;
  },
  async kpis(ctx, viewer, period) {
    if (!viewer.permissions.has(P.statsRead)) return [];
    const [value, previous] = await Promise.all([rateAt(ctx, viewer, period), rateAt(ctx, viewer, previousPeriod(period))]);
    return [{ key: 'coverage', value, previous, unit: 'rate', asOf: asOfDate(period, ctx.today()), href: '/union/coverage' }];
  },
  async trend(ctx, viewer, key, period) {
    if (key !== 'coverage') return null;
    // The same twelve months as every other figure; months still to come have no value.
    const points = await coverageMonths(ctx, viewer, asOfDate(period, ctx.today()), 12);
    const byMonth = new Map(points.map((p) => [p.month, p.rate]));
    return twelveMonthsTo(period).map((month) => {
      const rate = byMonth.get(month);
      return { month, value: rate === null || rate === undefined ? null : Math.round(rate * 10000) / 10000 };
    });
  },
  async breakdown(ctx, viewer, key) {
    if (key !== 'coverage') return null;
    const c = await coverage(ctx, viewer.scope);
    return {
      byOrg: c.byOrg.map((o) => ({ name: o.name, value: o.rate, base: o.employed })),
      byDepartment: c.byDepartment.map((d) => ({ name: d.name, value: d.rate, base: d.employed })),
    };
  },
};
