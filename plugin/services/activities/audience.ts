import type { Db } from '../../lib/db';

export type AudienceKind = 'members' | 'orgs' | 'departments' | 'employed';
export interface Audience {
  kind: AudienceKind;
  ids: string[];
}

export function audienceOf(row: { audience_kind: string; audience_ids: string | null }): Audience {
  return { kind: row.audience_kind as AudienceKind, ids: row.audience_ids ? (JSON.parse(row.audience_ids) as string[]) : [] };
}

/** The employee ids an audience names, as one query: active members (of some orgs or departments), or everyone employed. */
export function audienceQuery(db: Db, a: Audience) {
  if (a.kind === 'employed') return db('union_employees').where({ status: 'employed' }).select('employee_id');
  const q = db('union_memberships').where({ status: 'active' }).select('employee_id');
  if (a.kind === 'orgs') q.whereIn('org_id', a.ids.map(Number));
  if (a.kind === 'departments') q.whereIn('department_id', a.ids);
  return q;
}

export async function audienceIds(db: Db, a: Audience): Promise<string[]> {
  return (await audienceQuery(db, a)).map((r: { employee_id: string }) => r.employee_id);
}

export async function audienceSize(db: Db, a: Audience): Promise<number> {
  const row = await db.from(audienceQuery(db, a).as('aud')).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Whether one person belongs to the audience now (read inside the registering transaction, after the activity's lock). */
export async function inAudience(db: Db, a: Audience, employeeId: string): Promise<boolean> {
  const q = audienceQuery(db, a);
  return !!(await q.andWhere('employee_id', employeeId).first());
}

export interface Person {
  employed: boolean;
  member: { orgId: number | null; departmentId: string | null } | null;
}

/** Whether a person (as read once for a list page) belongs to an audience: the same rule as audienceQuery. */
export function audienceIncludes(a: Audience, p: Person): boolean {
  if (a.kind === 'employed') return p.employed;
  if (!p.member) return false;
  if (a.kind === 'orgs') return p.member.orgId !== null && a.ids.includes(String(p.member.orgId));
  if (a.kind === 'departments') return p.member.departmentId !== null && a.ids.includes(p.member.departmentId);
  return true;
}

export async function personOf(db: Db, employeeId: string): Promise<Person> {
  const [fact, m] = await Promise.all([
    db('union_employees').where({ employee_id: employeeId }).first('status'),
    db('union_memberships').where({ employee_id: employeeId, status: 'active' }).first('org_id', 'department_id'),
  ]);
  return { employed: fact?.status === 'employed', member: m ? { orgId: m.org_id, departmentId: m.department_id } : null };
}
