import type { Ctx } from '../../context';
import type { Db } from '../../lib/db';
import { groupScope, groupsQuery } from '../care/groups';
import { GROUP_CODES, type GroupCode } from '../care/settings';

/** groups: the people in any of the care area's service groups (ids are group codes), as the groups are today. */
export type AudienceKind = 'members' | 'orgs' | 'departments' | 'employed' | 'groups';
export interface Audience {
  kind: AudienceKind;
  ids: string[];
}

/** The kinds whose audience names a list of ids (orgs, departments, group codes). */
export const LISTED_KINDS: readonly AudienceKind[] = ['orgs', 'departments', 'groups'];

export function audienceOf(row: { audience_kind: string; audience_ids: string | null }): Audience {
  return { kind: row.audience_kind as AudienceKind, ids: row.audience_ids ? (JSON.parse(row.audience_ids) as string[]) : [] };
}

/** The group codes an audience names that are not groups (empty when all are). */
export function unknownGroups(ids: readonly string[]): string[] {
  return ids.filter((id) => !(GROUP_CODES as readonly string[]).includes(id));
}

/**
 * The employee ids an audience names, as one query: active members (of some orgs or departments), everyone
 * employed, or the people in some service groups. `db` may be the caller's transaction.
 */
export function audienceQuery(ctx: Ctx, a: Audience, db: Db = ctx.db) {
  if (a.kind === 'employed') return db('union_employees').where({ status: 'employed' }).select('employee_id');
  if (a.kind === 'groups') return groupsQuery(db, groupScope(ctx), a.ids as GroupCode[]);
  const q = db('union_memberships').where({ status: 'active' }).select('employee_id');
  if (a.kind === 'orgs') q.whereIn('org_id', a.ids.map(Number));
  if (a.kind === 'departments') q.whereIn('department_id', a.ids);
  return q;
}

export async function audienceIds(ctx: Ctx, a: Audience): Promise<string[]> {
  return (await audienceQuery(ctx, a)).map((r: { employee_id: string }) => r.employee_id);
}

export async function audienceSize(ctx: Ctx, a: Audience): Promise<number> {
  const row = await ctx.db.from(audienceQuery(ctx, a).as('aud')).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Whether one person belongs to the audience now (read inside the registering transaction, after the activity's lock). */
export async function inAudience(ctx: Ctx, db: Db, a: Audience, employeeId: string): Promise<boolean> {
  const column = a.kind === 'groups' ? 'p.employee_id' : 'employee_id';
  return !!(await audienceQuery(ctx, a, db).andWhere(column, employeeId).first());
}

export interface Person {
  employed: boolean;
  member: { orgId: number | null; departmentId: string | null } | null;
  /** The service groups the person is in now. */
  groups: GroupCode[];
}

/** Whether a person (as read once for a list page) belongs to an audience: the same rule as audienceQuery. */
export function audienceIncludes(a: Audience, p: Person): boolean {
  if (a.kind === 'employed') return p.employed;
  if (a.kind === 'groups') return p.groups.some((g) => a.ids.includes(g));
  if (!p.member) return false;
  if (a.kind === 'orgs') return p.member.orgId !== null && a.ids.includes(String(p.member.orgId));
  if (a.kind === 'departments') return p.member.departmentId !== null && a.ids.includes(p.member.departmentId);
  return true;
}

export async function personOf(ctx: Ctx, employeeId: string): Promise<Person> {
  const db = ctx.db;
  const scope = groupScope(ctx);
  const [fact, m, groups] = await Promise.all([
    db('union_employees').where({ employee_id: employeeId }).first('status'),
    db('union_memberships').where({ employee_id: employeeId, status: 'active' }).first('org_id', 'department_id'),
    // One primary-key probe per group, each through the same rule as the audience query.
    Promise.all(
      GROUP_CODES.map(async (g) => ((await groupsQuery(db, scope, [g]).andWhere('p.employee_id', employeeId).first()) ? g : null)),
    ),
  ]);
  return {
    employed: fact?.status === 'employed',
    member: m ? { orgId: m.org_id, departmentId: m.department_id } : null,
    groups: groups.filter((g): g is GroupCode => g !== null),
  };
}
