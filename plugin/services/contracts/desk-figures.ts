/**
 * Read models the desk asks of the contracts area: the exception review's items (the latest check's items
 * not met, with data missing, or with data overdue and not judged — exceptionList, counted), and shortfall
 * cases whose step deadline has passed (as the daily chase finds them, whether or not already chased).
 */
import type { Ctx } from '../../context';
import { exceptionList } from './checks';
import { CLOSED } from './shortfall-flow';

export interface ExceptionCounts {
  total: number;
  notMet: number;
  dataMissing: number;
  dataOverdue: number;
}

/** The exception review counted by kind. */
export async function exceptionCounts(ctx: Ctx): Promise<ExceptionCounts> {
  const items = await exceptionList(ctx);
  return {
    total: items.length,
    notMet: items.filter((i) => i.result === 'not_met').length,
    dataMissing: items.filter((i) => i.result === 'data_missing').length,
    dataOverdue: items.filter((i) => !i.result && i.dataOverdue).length,
  };
}

/** Open shortfall cases past their current step's deadline. */
export async function overdueShortfalls(ctx: Ctx): Promise<number> {
  const row = (await ctx
    .db('union_shortfalls')
    .whereNotIn('status', CLOSED)
    .where('due_at', '<', ctx.nowSql())
    .count({ n: '*' })
    .first()) as { n?: unknown } | undefined;
  return Number(row?.n ?? 0);
}
