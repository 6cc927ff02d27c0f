import type { Ctx } from '../context';
import { departmentInScope, orgInScope, WHOLE_UNION, type Scope } from './scope';

export interface CoverageRow {
  departmentId: string;
  name: string;
  employed: number;
  members: number;
  rate: number | null;
}

const rate = (members: number, employed: number) => (employed ? Math.round((members / employed) * 10000) / 10000 : null);

/**
 * 会员覆盖率 = active members ÷ employed employees, computed from the facts at query time (always
 * current): "employed" is decided by hire and exit dates against today, not by a stored flag. Routes
 * pass the caller's scope; without one (benchmarks, jobs) it covers the whole union.
 */
export async function coverage(ctx: Ctx, scope: Scope = WHOLE_UNION) {
  const today = ctx.today();
  // Two index-only aggregations instead of a join of every employed person to their membership:
  // employed people per department from the facts' (department, dates) index, and active members per
  // department from the memberships' (status, department) index.
  const [employedRows, memberRows] = await Promise.all([
    ctx
      .db('union_employees')
      .where('hire_date', '<=', today)
      .andWhere((q) => q.whereNull('exit_date').orWhere('exit_date', '>', today))
      .groupBy('department_id')
      .select('department_id')
      .count({ n: '*' }) as Promise<Array<{ department_id: string; n: number | string }>>,
    ctx.db('union_memberships').where({ status: 'active' }).groupBy('department_id').select('department_id').count({ n: '*' }) as Promise<
      Array<{ department_id: string | null; n: number | string }>
    >,
  ]);
  const membersByDept = new Map(memberRows.map((r) => [r.department_id ?? '', Number(r.n)]));
  // A branch's staff see the departments mapped into their subtree, and their orgs, nothing else.
  const rows = employedRows
    .filter((r) => departmentInScope(scope, r.department_id))
    .map((r) => ({
      department_id: r.department_id,
      employed: r.n,
      members: membersByDept.get(r.department_id) ?? 0,
    }));
  const names = new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
  const byDepartment: CoverageRow[] = rows
    .map((r) => ({
      departmentId: r.department_id,
      name: names.get(r.department_id) ?? r.department_id,
      employed: Number(r.employed),
      members: Number(r.members ?? 0),
      rate: 0 as number | null,
    }))
    .map((r) => ({ ...r, rate: rate(r.members, r.employed) }))
    .sort((a, b) => (a.rate ?? 0) - (b.rate ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
  const employed = byDepartment.reduce((s, r) => s + r.employed, 0);
  const members = byDepartment.reduce((s, r) => s + r.members, 0);

  const mapping: Array<{ department_id: string; org_id: number }> = await ctx.db('union_org_departments').select();
  const orgs: Array<{ id: number; name: string; parent_id: number | null }> = await ctx.db('union_orgs').select('id', 'name', 'parent_id');
  const root = orgs.find((o) => o.parent_id === null);
  const orgOfDept = new Map(mapping.map((m) => [m.department_id, m.org_id]));
  const byOrgMap = new Map<number, { employed: number; members: number }>();
  for (const d of byDepartment) {
    const orgId = orgOfDept.get(d.departmentId) ?? root?.id;
    if (orgId === undefined) continue;
    const acc = byOrgMap.get(orgId) ?? { employed: 0, members: 0 };
    acc.employed += d.employed;
    acc.members += d.members;
    byOrgMap.set(orgId, acc);
  }
  const byOrg = orgs
    .filter((o) => byOrgMap.has(o.id) && orgInScope(scope, o.id))
    .map((o) => ({
      orgId: o.id,
      name: o.name,
      ...byOrgMap.get(o.id)!,
      rate: rate(byOrgMap.get(o.id)!.members, byOrgMap.get(o.id)!.employed),
    }));
  return { asOf: today, employed, members, rate: rate(members, employed), byDepartment, byOrg };
}
