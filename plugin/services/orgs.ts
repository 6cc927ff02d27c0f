import type { Actor, Ctx, Trx } from '../context';
import type { Db } from '../lib/db';
import { Conflict, Invalid, NotFound } from '../errors';
import { writeAudit } from './audit';
import { inTransaction } from '../lib/db';
import { orgInScope, WHOLE_UNION, type Scope } from './scope';
import { bumpListVersion } from './list-cache';

export type OrgLevel = 'primary' | 'branch' | 'group';

export interface OrgRow {
  id: number;
  parent_id: number | null;
  name: string;
  level: OrgLevel;
}

/** The primary union (基层工会) is the root of the tree; departments without a mapping belong to it. */
export async function ensureRootOrg(ctx: Ctx, name = '基层工会'): Promise<number> {
  const root = await ctx.db('union_orgs').whereNull('parent_id').orderBy('id').first('id');
  if (root) return root.id as number;
  const [id] = await ctx.db('union_orgs').insert({ name, level: 'primary', parent_id: null, created_at: ctx.nowSql() });
  await bumpListVersion(ctx.db, 'members');
  return Number(id);
}

/** department id -> org id, for the given departments (all when omitted); unmapped ones get the root. */
export async function orgsForDepartments(db: Db, departmentIds?: string[]): Promise<(departmentId: string) => number | null> {
  const q = db('union_org_departments').select('department_id', 'org_id');
  if (departmentIds) q.whereIn('department_id', [...new Set(departmentIds)]);
  // The root comes in the same round trip (department_id null): this runs in every settle, under locks.
  q.unionAll(db('union_orgs').whereNull('parent_id').select(db.raw('null as department_id'), db.raw('min(id) as org_id')));
  const rows: Array<{ department_id: string | null; org_id: number | null }> = await q;
  const rootRow = rows.find((r) => r.department_id === null);
  const root = rootRow?.org_id === null || rootRow?.org_id === undefined ? null : Number(rootRow.org_id);
  const map = new Map(rows.filter((r) => r.department_id !== null).map((r) => [r.department_id as string, r.org_id as number]));
  return (dept) => map.get(dept) ?? root;
}

export async function listOrgs(ctx: Ctx) {
  const orgs: OrgRow[] = await ctx.db('union_orgs').select('id', 'parent_id', 'name', 'level').orderBy('id');
  const mappings: Array<{ department_id: string; org_id: number }> = await ctx.db('union_org_departments').select();
  return orgs.map((o) => ({ ...o, departments: mappings.filter((m) => m.org_id === o.id).map((m) => m.department_id) }));
}

export async function createOrg(
  ctx: Ctx,
  actor: Actor,
  input: { name: string; parentId: number; level: Exclude<OrgLevel, 'primary'> },
  // Routes pass the caller's scope; tools acting for the whole union (setup, benchmarks) leave it out.
  scope: Scope = WHOLE_UNION,
) {
  return inTransaction(ctx.db, async (trx) => {
    const parent = await trx('union_orgs').where({ id: input.parentId }).first();
    // A branch chair builds inside their own subtree only; another org's parent reads as absent.
    if (!parent || !orgInScope(scope, parent.id)) throw Invalid.field('body.parentId', 'does not name an existing org');
    const [id] = await trx('union_orgs').insert({
      name: input.name,
      level: input.level,
      parent_id: input.parentId,
      created_at: ctx.nowSql(),
    });
    await writeAudit(ctx, trx, actor, { action: 'org.create', entity: 'org', entityId: Number(id), after: input });
    // The member ledger page lists the orgs to filter by.
    await bumpListVersion(trx, 'members');
    return Number(id);
  });
}

/** Maps departments to an org; members of those departments move with the next settle (会籍接转). */
export async function mapDepartments(
  ctx: Ctx,
  actor: Actor,
  orgId: number,
  departmentIds: string[],
  scope: Scope = WHOLE_UNION,
): Promise<void> {
  if (!departmentIds.length) throw Invalid.field('body.departmentIds', 'must name at least one department');
  await inTransaction(ctx.db, (trx) => mapDepartmentsIn(ctx, trx, actor, orgId, departmentIds, scope));
}

async function mapDepartmentsIn(ctx: Ctx, trx: Trx, actor: Actor, orgId: number, departmentIds: string[], scope: Scope): Promise<void> {
  const org = await trx('union_orgs').where({ id: orgId }).first();
  if (!org || !orgInScope(scope, org.id)) throw new NotFound('No such union org');
  if (!scope.all) {
    // Departments come only from inside the subtree: a branch cannot take another org's people.
    const foreign = departmentIds.filter((d) => !scope.departmentIds.includes(d));
    if (foreign.length) throw Invalid.field('body.departmentIds', `are outside your union orgs: ${foreign.slice(0, 10).join(', ')}`);
  }
  const before = await trx('union_org_departments').whereIn('department_id', departmentIds).select();
  await trx('union_org_departments').whereIn('department_id', departmentIds).delete();
  await trx('union_org_departments').insert(departmentIds.map((d) => ({ department_id: d, org_id: orgId })));
  await writeAudit(ctx, trx, actor, { action: 'org.map_departments', entity: 'org', entityId: orgId, before, after: departmentIds });
  await bumpListVersion(trx, 'members');
}

export async function deleteOrg(ctx: Ctx, actor: Actor, orgId: number, scope: Scope): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const org = await trx('union_orgs').where({ id: orgId }).first();
    if (!org || !orgInScope(scope, org.id)) throw new NotFound('No such union org');
    if (org.parent_id === null) throw new Conflict('The primary union cannot be deleted').because('org_is_root');
    const used = await trx('union_memberships').where({ org_id: orgId }).first('id');
    const children = await trx('union_orgs').where({ parent_id: orgId }).first('id');
    if (used || children) throw new Conflict('The org still has members or sub-orgs').because('org_in_use');
    await trx('union_org_departments').where({ org_id: orgId }).delete();
    await trx('union_org_officers').where({ org_id: orgId }).delete();
    await trx('union_orgs').where({ id: orgId }).delete();
    await writeAudit(ctx, trx, actor, { action: 'org.delete', entity: 'org', entityId: orgId, before: org });
    await bumpListVersion(trx, 'members');
  });
}
