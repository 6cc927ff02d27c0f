import type { Ctx } from '../../context';
import { orgInScope, WHOLE_UNION, whereDepartmentInScope, type Scope } from '../scope';

export interface StatsFilter {
  from?: string;
  to?: string;
  departmentId?: string;
  category?: string;
}

interface Cell {
  category: string;
  department_id: string | null;
  month: string;
  n: number | string;
  resolved: number | string;
  on_time: number | string;
  timed: number | string;
  good: number | string;
  evaluated: number | string;
  days: number | string | null;
  days_n: number | string;
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);

interface Sums {
  n: number;
  resolved: number;
  onTime: number;
  timed: number;
  good: number;
  evaluated: number;
  days: number;
  daysN: number;
}
const zero = (): Sums => ({ n: 0, resolved: 0, onTime: 0, timed: 0, good: 0, evaluated: 0, days: 0, daysN: 0 });
function add(s: Sums, c: Cell): Sums {
  s.n += Number(c.n);
  s.resolved += Number(c.resolved);
  s.onTime += Number(c.on_time);
  s.timed += Number(c.timed);
  s.good += Number(c.good);
  s.evaluated += Number(c.evaluated);
  s.days += Number(c.days ?? 0);
  s.daysN += Number(c.days_n);
  return s;
}
const rates = (s: Sums) => ({
  resolutionRate: ratio(s.resolved, s.n),
  onTimeRate: ratio(s.onTime, s.timed),
  satisfactionRate: ratio(s.good, s.evaluated),
  averageHandlingDays: s.daysN ? Math.round((s.days / s.daysN) * 10) / 10 : null,
});

function group(cells: Cell[], key: (c: Cell) => string): Map<string, Sums> {
  const out = new Map<string, Sums>();
  for (const c of cells) add(out.get(key(c)) ?? out.set(key(c), zero()).get(key(c))!, c);
  return out;
}

/**
 * The chair's statistics, read from the running totals (tallies.ts: one row per month of receipt,
 * category and department, kept by the writers), folded here into the totals, the shares by category
 * and the lines by department and month. Filters select months of receipt (`from`/`to` by their month).
 * Resolution counts resolved and closed cases; on time is judged when a case is resolved (against the
 * deadline then in force); satisfaction counts 满意 and 基本满意 among evaluated cases. Anonymous cases
 * are counted like any other and nothing below a department is shown. A branch's chair sees the
 * departments mapped into their subtree and its orgs (scope.ts); a department no org claims counts
 * under the root org, as in the coverage statistics.
 */
export async function grievanceStats(ctx: Ctx, f: StatsFilter = {}, scope: Scope = WHOLE_UNION) {
  const q = ctx
    .db('union_grievance_tallies')
    .select('category', 'department_id', 'month', 'n', 'resolved', 'on_time', 'timed', 'good', 'evaluated', 'days', 'days_n');
  if (f.from) q.where('month', '>=', f.from.slice(0, 7));
  if (f.to) q.where('month', '<=', f.to.slice(0, 7));
  if (f.departmentId) q.where({ department_id: f.departmentId });
  if (f.category) q.where({ category: f.category });
  whereDepartmentInScope(q, scope, 'department_id');
  const [rows, mapping, orgs] = await Promise.all([
    q as Promise<Cell[]>,
    ctx.db('union_org_departments').select('department_id', 'org_id') as Promise<Array<{ department_id: string; org_id: number }>>,
    ctx.db('union_orgs').select('id', 'name', 'parent_id') as Promise<Array<{ id: number; name: string; parent_id: number | null }>>,
  ]);
  const cells = rows.filter((c) => Number(c.n) > 0);
  const total = cells.reduce((s, c) => add(s, c), zero());
  const byCategory = [...group(cells, (c) => c.category)]
    .map(([category, s]) => ({ category, count: s.n, share: ratio(s.n, total.n), ...rates(s) }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  const byDepartment = [...group(cells, (c) => c.department_id ?? '')]
    .map(([departmentId, s]) => ({ departmentId: departmentId || null, count: s.n, ...rates(s) }))
    .sort((a, b) => b.count - a.count);
  const rootId = orgs.find((o) => o.parent_id === null)?.id;
  const orgOf = new Map(mapping.map((m) => [m.department_id, Number(m.org_id)]));
  const perOrg = group(cells, (c) => String(orgOf.get(c.department_id ?? '') ?? rootId ?? ''));
  const byOrg = orgs
    .filter((o) => perOrg.has(String(o.id)) && orgInScope(scope, o.id))
    .map((o) => ({ orgId: o.id, name: o.name, count: perOrg.get(String(o.id))!.n, ...rates(perOrg.get(String(o.id))!) }))
    .sort((a, b) => b.count - a.count || a.orgId - b.orgId);
  const byMonth = [...group(cells, (c) => c.month)]
    .map(([month, s]) => ({ month, count: s.n, ...rates(s) }))
    .sort((a, b) => a.month.localeCompare(b.month));
  return { total: total.n, byCategory, ...rates(total), byOrg, byDepartment, byMonth };
}

export type GrievanceStats = Awaited<ReturnType<typeof grievanceStats>>;
