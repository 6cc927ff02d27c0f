/**
 * Hardship assistance on the desk: cases whose 公示 ends within two working days (to be confirmed) and cases
 * due for their yearly review, for their handler or, for the chair, every case in scope; the cases helped
 * and the amount given in the period. Counts and sums only, never a name or a health detail.
 */
import { givenBetween, noticesEndingBy, reviewsDue } from '../../care/assistance-desk';
import { A } from '../../../routes/care/assistance-permissions';
import { loadCalendar } from '../../../lib/workdays';
import { asOfDate, previousPeriod } from '../period';
import type { DeskSource } from '../types';
import { DUE_SOON_WORKING_DAYS } from './grievances';

export const assistanceSource: DeskSource = {
  area: 'assistance',
  async todos(ctx, viewer) {
    const oversee = viewer.permissions.has(A.assistanceOversee);
    if (!oversee && !viewer.permissions.has(A.assistanceHandle)) return [];
    const f = { handlerId: oversee ? null : viewer.id, scope: viewer.scope };
    const cal = await loadCalendar(ctx.db);
    const [notices, reviews] = await Promise.all([
      noticesEndingBy(ctx, f, cal.addWorkingDays(ctx.today(), DUE_SOON_WORKING_DAYS)),
      reviewsDue(ctx, f),
    ]);
    const href = oversee ? '/union/assistance/inbox?scope=all' : '/union/assistance/inbox';
    return [
      { kind: 'assistanceNotice', count: notices, href },
      { kind: 'assistanceReview', count: reviews, href },
    ];
  },
  async kpis(ctx, viewer, period) {
    if (!viewer.permissions.has(A.assistanceOversee)) return [];
    const today = ctx.today();
    const prev = previousPeriod(period);
    const [now, before] = await Promise.all([
      givenBetween(ctx, period.from, period.to, viewer.scope),
      givenBetween(ctx, prev.from, prev.to, viewer.scope),
    ]);
    const asOf = asOfDate(period, today);
    const href = '/union/assistance/inbox?scope=all';
    return [
      { key: 'assistanceCases', value: now.cases, previous: before.cases, unit: 'count', asOf, href },
      { key: 'assistanceAmount', value: now.amountCents / 100, previous: before.amountCents / 100, unit: 'yuan', asOf, href },
    ];
  },
  async notable(ctx, viewer, period) {
    if (!viewer.permissions.has(A.assistanceOversee)) return [];
    const given = await givenBetween(ctx, period.from, period.to, viewer.scope);
    if (!given.cases) return [];
    return [
      {
        kind: 'assistanceGiven',
        text: 'desk.notable.assistanceGiven',
        vars: { cases: given.cases, amount: (given.amountCents / 100).toFixed(2) },
      },
    ];
  },
};
