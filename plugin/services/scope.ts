import type { Knex } from 'knex';
import type { Db } from '../lib/db';

/**
 * Which part of the union a staff member works on: the whole union (the root's staff and chair, module
 * administrators), or the subtrees of the branch orgs (分会) they serve, with the departments mapped
 * into those subtrees. People outside it do not exist for them: reads answer 404, lists leave them out.
 */
export type Scope = { all: true } | { all: false; orgIds: number[]; departmentIds: string[] };

export const WHOLE_UNION: Scope = { all: true };
export const NOTHING: Scope = { all: false, orgIds: [], departmentIds: [] };

/** The orgs under `anchors` (themselves included); an anchor at the root means the whole union. */
export async function scopeUnder(db: Db, anchors: number[]): Promise<Scope> {
  if (!anchors.length) return NOTHING;
  const orgs: Array<{ id: number; parent_id: number | null }> = await db('union_orgs').select('id', 'parent_id');
  const children = new Map<number, number[]>();
  for (const o of orgs) if (o.parent_id !== null) children.set(o.parent_id, [...(children.get(o.parent_id) ?? []), o.id]);
  const root = orgs.find((o) => o.parent_id === null)?.id;
  if (root !== undefined && anchors.includes(root)) return WHOLE_UNION;
  const seen = new Set<number>();
  const todo = anchors.filter((a) => orgs.some((o) => o.id === a));
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(children.get(id) ?? []));
  }
  const orgIds = [...seen].sort((a, b) => a - b);
  const departmentIds: string[] = orgIds.length
    ? await db('union_org_departments').whereIn('org_id', orgIds).orderBy('department_id').pluck('department_id')
    : [];
  return { all: false, orgIds, departmentIds };
}

export function orgInScope(scope: Scope, orgId: number | null | undefined): boolean {
  return scope.all || (orgId !== null && orgId !== undefined && scope.orgIds.includes(Number(orgId)));
}

export function departmentInScope(scope: Scope, departmentId: string | null | undefined): boolean {
  return scope.all || (!!departmentId && scope.departmentIds.includes(departmentId));
}

/** Narrows a query to rows whose org column lies in the scope (nothing at all for an empty scope). */
export function whereOrgInScope<Q extends Knex.QueryBuilder>(q: Q, scope: Scope, column: string): Q {
  if (!scope.all) q.whereIn(column, scope.orgIds.length ? scope.orgIds : [-1]);
  return q;
}

/** Narrows a query to rows whose department column lies in the scope. */
export function whereDepartmentInScope<Q extends Knex.QueryBuilder>(q: Q, scope: Scope, column: string): Q {
  if (!scope.all) q.whereIn(column, scope.departmentIds.length ? scope.departmentIds : ['\u0000none']);
  return q;
}
