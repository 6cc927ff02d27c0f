import type { Ctx } from '../context';
import type { Employee } from '../host';
import { asDate } from '../lib/time';
import { auditTrail } from './audit';
import { NotFound } from '../errors';
import { orgInScope, whereOrgInScope, WHOLE_UNION, type Scope } from './scope';

export interface MemberFilter {
  status?: string;
  departmentId?: string;
  orgId?: number;
  joinedFrom?: string;
  joinedTo?: string;
  keyword?: string;
  after?: number;
  limit: number;
}

export interface MemberView {
  employeeId: string;
  memberNo: string | null;
  status: string;
  joinedAt: string | null;
  expiredAt: string | null;
  orgId: number | null;
}

export function toView(r: Record<string, unknown>): MemberView {
  return {
    employeeId: r.employee_id as string,
    memberNo: (r.member_no as string) ?? null,
    status: r.status as string,
    joinedAt: asDate(r.joined_at),
    expiredAt: asDate(r.expired_at),
    orgId: r.org_id === null || r.org_id === undefined ? null : Number(r.org_id),
  };
}

/** A membership as staff see it: one outside their scope is as absent as one that does not exist. */
export async function getMember(ctx: Ctx, employeeId: string, scope: Scope): Promise<MemberView> {
  const r = await ctx.db('union_memberships').where({ employee_id: employeeId }).first();
  if (!r || !orgInScope(scope, r.org_id)) throw new NotFound('This person has no membership record');
  return toView(r);
}

/** Everyone may read their own membership; staff anyone's within their scope; others nobody's (404, not 403). */
export async function memberSeenBy(
  ctx: Ctx,
  viewer: { id: string; permissions: Set<string>; scope: Scope },
  employeeId: string,
): Promise<MemberView> {
  if (viewer.id === employeeId) return getMember(ctx, employeeId, WHOLE_UNION);
  if (!viewer.permissions.has('union.members.read')) throw new NotFound('This person has no membership record');
  return getMember(ctx, employeeId, viewer.scope);
}

/** The keyword narrows by member number or employee id here, and by name through the host's search. */
async function keywordIds(ctx: Ctx, keyword: string): Promise<string[] | null> {
  if (!ctx.host.employees.search) return null;
  return ctx.host.employees.search(keyword, 500);
}

/** The member ledger for staff: filters, keyset pagination on the membership id, names read from the host. */
export async function listMembers(ctx: Ctx, f: MemberFilter, scope: Scope) {
  // Status and department filters read the (status, department_id, id) index and stop after one page.
  const q = ctx
    .db('union_memberships as m')
    .select('m.id', 'm.employee_id', 'm.member_no', 'm.status', 'm.org_id', 'm.department_id', 'm.joined_at', 'm.expired_at')
    .orderBy('m.id', 'asc')
    .limit(f.limit + 1);
  whereOrgInScope(q, scope, 'm.org_id');
  if (f.status) q.where('m.status', f.status);
  if (f.departmentId) q.where('m.department_id', f.departmentId);
  if (f.orgId) q.where('m.org_id', f.orgId);
  if (f.joinedFrom) q.where('m.joined_at', '>=', f.joinedFrom);
  if (f.joinedTo) q.where('m.joined_at', '<=', f.joinedTo);
  if (f.keyword) {
    const kw = f.keyword.trim();
    const ids = await keywordIds(ctx, kw);
    q.where((w) => {
      w.where('m.member_no', kw).orWhere('m.employee_id', kw);
      if (ids?.length) w.orWhereIn('m.employee_id', ids);
    });
  }
  // The total counts the whole filtered list, not the page: every list says 共 N 人.
  const counted = q.clone().clearSelect().clearOrder().clear('limit').count({ n: '*' }).first();
  if (f.after) q.where('m.id', '>', f.after);
  const [rows, total] = await Promise.all([q, counted]);
  const page = rows.slice(0, f.limit);
  const people = await peopleById(
    ctx,
    page.map((r) => r.employee_id),
  );
  return {
    items: page.map((r) => ({ ...toView(r), departmentId: r.department_id ?? null, name: people.get(r.employee_id)?.name ?? null })),
    nextAfter: rows.length > f.limit ? Number(page[page.length - 1].id) : null,
    total: Number((total as { n?: number | string } | undefined)?.n ?? 0),
  };
}

export async function peopleById(ctx: Ctx, ids: string[]): Promise<Map<string, Employee>> {
  if (!ids.length) return new Map();
  return new Map((await ctx.host.employees.getMany(ids)).map((e) => [e.id, e]));
}

export async function memberDetail(ctx: Ctx, employeeId: string, scope: Scope) {
  const m = await ctx.db('union_memberships').where({ employee_id: employeeId }).first();
  if (!m || !orgInScope(scope, m.org_id)) throw new NotFound('This person has no membership record');
  const [history, audit, person, fact] = await Promise.all([
    ctx.db('union_membership_history').where({ membership_id: m.id }).orderBy('id', 'desc').limit(200).select(),
    auditTrail(ctx, 'membership', employeeId),
    ctx.host.employees.get(employeeId),
    ctx.db('union_employees').where({ employee_id: employeeId }).first(),
  ]);
  const org = m.org_id ? await ctx.db('union_orgs').where({ id: m.org_id }).first('name') : null;
  return {
    member: {
      ...toView(m),
      statusReason: m.status_reason,
      consentAt: m.consent_at,
      consentMethod: m.consent_method,
      consentRef: m.consent_ref ?? null,
      overrideStatus: m.override_status,
      overrideUntil: asDate(m.override_until),
      orgName: org?.name ?? null,
    },
    person: person
      ? {
          name: person.name,
          departmentId: person.departmentId,
          status: person.status,
          hireDate: person.hireDate,
          exitDate: person.exitDate,
        }
      : null,
    fact: fact ? { hireDate: asDate(fact.hire_date), exitDate: asDate(fact.exit_date), departmentId: fact.department_id } : null,
    history: history.map((h) => ({ ...h, effective_date: asDate(h.effective_date) })),
    audit,
  };
}

/** What the person sees of their own membership on the tab's home page. */
export async function ownMembership(ctx: Ctx, employeeId: string) {
  const m = await ctx
    .db('union_memberships as m')
    .leftJoin('union_orgs as o', 'o.id', 'm.org_id')
    .where('m.employee_id', employeeId)
    .first('m.member_no', 'm.status', 'm.joined_at', 'm.expired_at', 'o.name as org_name');
  return m ?? null;
}
