/**
 * Welfare on the desk: people due a payment last month who were not paid (what the monthly gap report
 * of welfare-gaps.ts finds, counted without listing them), and paid vs due for the period.
 */
import { paidVsDue, welfareInputsVersion } from '../../care/welfare-figures';
import { keptWhileUnchanged } from '../kept';
import { previousPeriod as previousMonth } from '../../care/welfare-rules';
import { C } from '../../../routes/care/permissions';
import { rate } from '../../activities/rules';
import { asOfDate, monthsOf, previousPeriod, twelveMonthsTo, type Period } from '../period';
import type { Ctx } from '../../../context';
import type { DeskSource, Viewer } from '../types';

/**
 * Both welfare trends read the same twelve months: counted once per viewer object and period (a report or
 * a request holds its viewer; nothing outlives it).
 */
const counted = new WeakMap<Viewer, Map<string, ReturnType<typeof paidVsDue>>>();
function yearOfPayments(ctx: Ctx, viewer: Viewer, period: Period) {
  const byPeriod = counted.get(viewer) ?? new Map<string, ReturnType<typeof paidVsDue>>();
  counted.set(viewer, byPeriod);
  if (!byPeriod.has(period.key)) {
    const today = ctx.today().slice(0, 7);
    byPeriod.set(
      period.key,
      paidVsDue(
        ctx,
        twelveMonthsTo(period).filter((m) => m <= today),
        viewer.scope,
      ),
    );
  }
  return byPeriod.get(period.key)!;
}

export const careSource: DeskSource = {
  area: 'care',
  async todos(ctx, viewer) {
    if (!viewer.permissions.has(C.welfareManage)) return [];
    const month = previousMonth(ctx.today());
    // Counting the unpaid among 100,000 members takes a few hundred ms; the count is kept until a payment,
    // a plan or a membership changes, so it is current and still quick.
    const count = await keptWhileUnchanged(ctx, { viewer, period: month, area: 'care:gaps' }, await welfareInputsVersion(ctx), async () => {
      const last = await paidVsDue(ctx, [month], viewer.scope, false);
      return last.due - last.paid;
    });
    return [{ kind: 'welfareGaps', count, href: '/union/welfare' }];
  },
  async kpis(ctx, viewer, period) {
    if (!viewer.permissions.has(C.welfareManage)) return [];
    const today = ctx.today();
    // Months still to come are not due yet.
    const upToNow = (months: string[]) => months.filter((m) => m <= today.slice(0, 7));
    const [now, before] = await Promise.all([
      paidVsDue(ctx, upToNow(monthsOf(period)), viewer.scope),
      paidVsDue(ctx, upToNow(monthsOf(previousPeriod(period))), viewer.scope),
    ]);
    const asOf = asOfDate(period, today);
    return [
      {
        key: 'welfarePaid',
        value: rate(now.paid, now.due),
        previous: rate(before.paid, before.due),
        unit: 'rate',
        asOf,
        href: '/union/welfare',
      },
      {
        key: 'welfareAmount',
        value: now.amountCents / 100,
        previous: before.amountCents / 100,
        unit: 'yuan',
        asOf,
        href: '/union/welfare',
      },
    ];
  },
  async trend(ctx, viewer, key, period) {
    if (key !== 'welfarePaid' && key !== 'welfareAmount') return null;
    const r = await yearOfPayments(ctx, viewer, period);
    return twelveMonthsTo(period).map((month) => {
      const m = r.byMonth.find((x) => x.month === month);
      return { month, value: !m ? null : key === 'welfarePaid' ? rate(m.paid, m.due) : m.amountCents / 100 };
    });
  },
};
