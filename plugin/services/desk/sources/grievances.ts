/**
 * Grievances on the desk: cases overdue or due within two working days and joint-sheet steps waiting
 * (a handler's own; every case in scope for the chair), and the statistics page's rates for the period.
 * The rates are aggregates (no case, no person); the breakdown by department is the chair's, as on the
 * statistics page.
 */
import { casesToAct, jointStepsWaiting, scopedGrievanceStats } from '../../grievances/desk-figures';
import { grievanceStats } from '../../grievances/stats';
import { rectificationList } from '../../grievances/repeats';
import { categoryLabel } from '../../grievances/categories';
import { loadCalendar } from '../../../lib/workdays';
import { G } from '../../../routes/grievances/permissions';
import { departmentInScope } from '../../scope';
import { asOfDate, previousPeriod, twelveMonthsTo } from '../period';
import type { DeskSource, Kpi } from '../types';

/** Due within this many working days counts as "due soon". */
export const DUE_SOON_WORKING_DAYS = 2;

const KEYS = {
  grievanceResolution: 'resolutionRate',
  grievanceOnTime: 'onTimeRate',
  grievanceSatisfaction: 'satisfactionRate',
  grievanceHandlingDays: 'averageHandlingDays',
} as const;
type Key = keyof typeof KEYS;

export const grievancesSource: DeskSource = {
  area: 'grievances',
  async todos(ctx, viewer) {
    const oversee = viewer.permissions.has(G.grievancesOversee);
    if (!oversee && !viewer.permissions.has(G.grievancesHandle)) return [];
    const cal = await loadCalendar(ctx.db);
    const dueBy = cal.addWorkingDays(ctx.today(), DUE_SOON_WORKING_DAYS);
    const mine = oversee ? null : viewer.id;
    const [cases, steps] = await Promise.all([
      casesToAct(ctx, { assigneeId: mine, scope: viewer.scope }, dueBy),
      jointStepsWaiting(ctx, { personId: mine, scope: viewer.scope }),
    ]);
    return [
      { kind: 'grievancesOverdue', count: cases.overdue, href: '/union/grievances/inbox' },
      { kind: 'grievancesDueSoon', count: cases.dueSoon, href: '/union/grievances/inbox' },
      { kind: 'jointSteps', count: steps, href: '/union/grievances/inbox' },
    ];
  },
  async kpis(ctx, viewer, period) {
    const prev = previousPeriod(period);
    const [now, before] = await Promise.all([
      scopedGrievanceStats(ctx, { from: period.from, to: period.to }, viewer.scope),
      scopedGrievanceStats(ctx, { from: prev.from, to: prev.to }, viewer.scope),
    ]);
    const asOf = asOfDate(period, ctx.today());
    const href = viewer.permissions.has(G.grievancesOversee) ? '/union/grievances/stats' : '/union/grievances/inbox';
    return (Object.keys(KEYS) as Key[]).map((key): Kpi => ({
      key,
      // A rate over no cases is no figure (the statistics page shows 0 there; the desk says "none yet").
      value: now.total ? now[KEYS[key]] : null,
      previous: before.total ? before[KEYS[key]] : null,
      unit: key === 'grievanceHandlingDays' ? 'days' : 'rate',
      asOf,
      href,
    }));
  },
  async trend(ctx, viewer, key, period) {
    if (!(key in KEYS)) return null;
    const months = twelveMonthsTo(period);
    const s = await scopedGrievanceStats(ctx, { from: `${months[0]}-01`, to: period.to }, viewer.scope);
    return months.map((month) => {
      const m = s.byMonth.find((x) => x.month === month);
      return { month, value: m ? m[KEYS[key as Key]] : null };
    });
  },
  async breakdown(ctx, viewer, key, period) {
    if (!(key in KEYS) || !viewer.permissions.has(G.grievancesOversee)) return null;
    const s = await grievanceStats(ctx, { from: period.from, to: period.to });
    const names = new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
    return {
      byOrg: [],
      byDepartment: s.byDepartment
        .filter((d) => departmentInScope(viewer.scope, d.departmentId))
        .map((d) => ({ name: names.get(d.departmentId ?? '') ?? '—', value: d[KEYS[key as Key]], base: d.count })),
    };
  },
  async notable(ctx, viewer, period) {
    if (!viewer.permissions.has(G.grievancesOversee)) return [];
    const names = new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
    const cal = await loadCalendar(ctx.db);
    const [list, late] = await Promise.all([
      rectificationList(ctx, viewer.scope, asOfDate(period, ctx.today())),
      casesToAct(ctx, { assigneeId: null, scope: viewer.scope }, cal.addWorkingDays(ctx.today(), 0)),
    ]);
    return [
      ...list
        .filter((r) => departmentInScope(viewer.scope, r.departmentId))
        .map((r) => ({
          kind: 'rectification',
          text: 'desk.notable.rectification',
          vars: {
            quarter: r.quarter,
            category: categoryLabel(ctx, r.category),
            department: names.get(r.departmentId) ?? '—',
            cases: r.cases,
          },
        })),
      ...(late.overdue ? [{ kind: 'overdue', text: 'desk.notable.overdue', vars: { n: late.overdue } }] : []),
    ];
  },
};
