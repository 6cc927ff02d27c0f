import type { Ctx } from '../../context';
import { withNames } from './group-lists';
import type { Gaps } from './welfare-gaps';

/** People per gap list on the ledger page; the whole list is on the bulk payment page and in the JSON. */
export const SHOWN = 100;

/**
 * The gap report as people read it: each list's first SHOWN people with name, employee number and
 * department from the host (never the bare ids), and how many there are in all.
 */
export async function gapCards(ctx: Ctx, g: Gaps) {
  const [missing, duplicates, notEntitled] = await Promise.all([
    withNames(ctx, g.missing.slice(0, SHOWN)),
    withNames(ctx, g.duplicates.slice(0, SHOWN)),
    withNames(ctx, g.notEntitled.slice(0, SHOWN)),
  ]);
  const list = <T>(items: T[], total: number) => ({ items, total, more: Math.max(0, total - items.length) });
  return {
    planId: g.planId,
    period: g.period,
    missing: list(missing, g.missing.length),
    duplicates: list(duplicates, g.duplicates.length),
    notEntitled: list(notEntitled, g.notEntitled.length),
  };
}
