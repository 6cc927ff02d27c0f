import type { Ctx } from '../../context';
import { chunks, type Db } from '../../lib/db';
import { serviceGroupMembers } from '../care/audience-seam';

export type AudienceKind = 'members' | 'orgs' | 'departments' | 'groups' | 'employed';
export interface Audience {
  kind: AudienceKind;
  /** Org ids, department ids, or service-group codes (groups). */
  ids: string[];
}

export function audienceOf(row: { audience_kind: string; audience_ids: string | null }): Audience {
  return { kind: row.audience_kind as AudienceKind, ids: row.audience_ids ? (JSON.parse(row.audience_ids) as string[]) : [] };
}

/**
 * The employee ids an audience names, as one query (column employee_id): active members (of some orgs
 * or departments), the employed people of some service groups today (through the care area's seam), or
 * everyone employed.
 */
export function audienceQuery(ctx: Ctx, db: Db, a: Audience) {
  if (a.kind === 'employed') return db('union_employees').where({ status: 'employed' }).select('employee_id');
  if (a.kind === 'groups') return db.from(serviceGroupMembers(ctx, db, a.ids).as('g')).select('employee_id');
  const q = db('union_memberships').where({ status: 'active' }).select('employee_id');
  if (a.kind === 'orgs') q.whereIn('org_id', a.ids.map(Number));
  if (a.kind === 'departments') q.whereIn('department_id', a.ids);
  return q;
}

export async function audienceIds(ctx: Ctx, a: Audience): Promise<string[]> {
  return (await audienceQuery(ctx, ctx.db, a)).map((r: { employee_id: string }) => r.employee_id);
}

export async function audienceSize(ctx: Ctx, a: Audience): Promise<number> {
  const row = await ctx.db
    .from(audienceQuery(ctx, ctx.db, a).as('aud'))
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

/** Which of these people belong to the audience now (read inside the registering transaction, after the activity's lock). */
export async function inAudienceOf(ctx: Ctx, db: Db, a: Audience, employeeIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const ids of chunks([...new Set(employeeIds)], 1000))
    for (const r of (await audienceQuery(ctx, db, a).whereIn('employee_id', ids)) as Array<{ employee_id: string }>)
      found.add(r.employee_id);
  return found;
}

export interface Person {
  employed: boolean;
  member: { orgId: number | null; departmentId: string | null } | null;
  /** The service groups the person is in today; read only when some activity on the page needs it. */
  groups: string[];
}

/** Whether a person (as read once for a list page) belongs to an audience: the same rule as audienceQuery. */
export function audienceIncludes(a: Audience, p: Person): boolean {
  if (a.kind === 'employed') return p.employed;
  if (a.kind === 'groups') return a.ids.some((g) => p.groups.includes(g));
  if (!p.member) return false;
  if (a.kind === 'orgs') return p.member.orgId !== null && a.ids.includes(String(p.member.orgId));
  if (a.kind === 'departments') return p.member.departmentId !== null && a.ids.includes(p.member.departmentId);
  return true;
}

/** What the audience rules need of one person; `groups` lists the service groups to test (none: skip the read). */
export async function personOf(ctx: Ctx, employeeId: string, groups: string[] = []): Promise<Person> {
  const db = ctx.db;
  const [fact, m, inGroups] = await Promise.all([
    db('union_employees').where({ employee_id: employeeId }).first('status'),
    db('union_memberships').where({ employee_id: employeeId, status: 'active' }).first('org_id', 'department_id'),
    Promise.all(
      [...new Set(groups)].map(async (g) =>
        (await db
          .from(serviceGroupMembers(ctx, db, [g]).as('g'))
          .where('employee_id', employeeId)
          .first('employee_id'))
          ? g
          : null,
      ),
    ),
  ]);
  return {
    employed: fact?.status === 'employed',
    member: m ? { orgId: m.org_id, departmentId: m.department_id } : null,
    groups: inGroups.filter((g): g is string => g !== null),
  };
}

/** The service groups that any of these activities is open to (what personOf must test). */
export function groupsNamed(rows: Array<{ audience_kind: string; audience_ids: string | null }>): string[] {
  return rows.flatMap((r) => (r.audience_kind === 'groups' ? audienceOf(r).ids : []));
}
