/**
 * Where the money went, for per-occurrence plans (婚育、住院、丧、退休、困难帮扶): such a plan owes only the
 * people whose occasion fell in the period, by the gap report's own rule (welfare-gaps.ts entitledQuery).
 * Those are a handful a month, so their ids are read and counted per plan, org and group here; the
 * periodic plans stay set-based in spending.ts.
 */
import type { Knex } from 'knex';
import type { Ctx } from '../../context';
import { chunks } from '../../lib/db';
import { GROUP_CODES } from './settings';
import type { PlanRow } from './welfare';
import { entitledQuery } from './welfare-gaps';

export interface OccasionCounts {
  /** plan id -> entitled and missing (entitled, not paid under that plan in the period). */
  byPlan: Map<number, { entitled: number; missing: number }>;
  /** org id ('' for none) -> entitled and missing. */
  byOrg: Map<string, { entitled: number; missing: number }>;
  /** group code -> entitled and missing. */
  byGroup: Map<string, { entitled: number; missing: number }>;
}

function add(m: Map<string, { entitled: number; missing: number }>, k: string, missing: boolean) {
  const c = m.get(k) ?? { entitled: 0, missing: 0 };
  c.entitled += 1;
  if (missing) c.missing += 1;
  m.set(k, c);
}

export async function occasionCounts(ctx: Ctx, plans: PlanRow[], period: string, groupFlags: Knex.Raw[]): Promise<OccasionCounts> {
  const out: OccasionCounts = { byPlan: new Map(), byOrg: new Map(), byGroup: new Map() };
  const owed: Array<{ employeeId: string; missing: boolean }> = [];
  for (const p of plans.filter((x) => x.cycle === 'per_occurrence')) {
    const ids = (await entitledQuery(ctx, p, period)).map((r) => r.employee_id);
    const paid = new Set<string>(
      await ctx.db('union_welfare_payments').where({ plan_id: p.id, period }).distinct('employee_id').pluck('employee_id'),
    );
    const missing = ids.filter((id) => !paid.has(id));
    out.byPlan.set(p.id, { entitled: ids.length, missing: missing.length });
    for (const id of ids) owed.push({ employeeId: id, missing: !paid.has(id) });
  }
  if (!owed.length) return out;
  const orgOf = new Map<string, string>();
  const groupsOf = new Map<string, string[]>();
  for (const batch of chunks([...new Set(owed.map((o) => o.employeeId))], 1000)) {
    for (const m of await ctx.db('union_memberships').whereIn('employee_id', batch).select('employee_id', 'org_id'))
      orgOf.set(m.employee_id, m.org_id === null ? '' : String(m.org_id));
    const rows: Array<Record<string, unknown>> = await ctx
      .db('union_care_profiles as p')
      .whereIn('p.employee_id', batch)
      .select('p.employee_id', ...groupFlags);
    for (const r of rows)
      groupsOf.set(
        String(r.employee_id),
        GROUP_CODES.filter((c) => Number(r[c]) === 1),
      );
  }
  for (const o of owed) {
    add(out.byOrg, orgOf.get(o.employeeId) ?? '', o.missing);
    for (const g of groupsOf.get(o.employeeId) ?? []) add(out.byGroup, g, o.missing);
  }
  return out;
}
