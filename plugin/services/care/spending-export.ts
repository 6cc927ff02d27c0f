import type { Writable } from 'node:stream';
import { t, type Lang } from '../../i18n';
import { writeXlsx } from '../../lib/sheets';
import type { Spending } from './spending';

/** The spending report as one sheet: a section per view (plan, org, group), the same figures as the page and JSON. */
export async function spendingXlsx(report: Spending, lang: Lang, out: Writable): Promise<void> {
  const k = (key: string) => t(lang, `assistance.spending.${key}`);
  const header = [k('view'), k('name'), k('entitled'), k('paid'), k('missing'), k('amount')];
  async function* rows() {
    for (const [view, lines] of [
      ['byPlan', report.byPlan],
      ['byOrg', report.byOrg],
      ['byGroup', report.byGroup],
    ] as const) {
      for (const l of lines) yield [k(view), l.label, l.entitled, l.paid, l.missing, l.amount];
    }
    yield [k('total'), '', report.totals.entitled, report.totals.paid, report.totals.missing, report.totals.amount];
  }
  await writeXlsx(out, `${k('title')} ${report.period}`, header, rows(), (c) => (c === 1 ? 24 : 12));
}
