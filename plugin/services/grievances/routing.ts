import type { Ctx, Trx } from '../../context';
import { Conflict } from '../../errors';
import type { Employee } from '../../host';
import { grievanceSettings } from './settings';
import { readStanding } from '../access';
import { departmentInScope } from '../scope';
import { peopleWithRole } from '../roles';

export const OPEN_STATUSES = ['received', 'in_progress', 'waiting_on_employee'] as const;

export interface Load {
  open: number;
  /** When the person last got a case ('' if never): the longest wait wins a tie. */
  lastAssignedAt: string;
}

/** The least-loaded candidate; ties go to who waited longest since their last case, then by id. Pure. */
export function pickLeastLoaded(candidates: readonly string[], load: ReadonlyMap<string, Load>): string {
  const of = (id: string) => load.get(id) ?? { open: 0, lastAssignedAt: '' };
  return [...candidates].sort((a, b) => {
    const la = of(a);
    const lb = of(b);
    return la.open - lb.open || la.lastAssignedAt.localeCompare(lb.lastAssignedAt) || a.localeCompare(b);
  })[0];
}

/** The chair(s): whoever the host lists with the chair role, else the `grievances.chairId` setting. */
export async function chairs(ctx: Ctx): Promise<string[]> {
  const listed = await peopleWithRole(ctx, 'union.chair');
  const setting = grievanceSettings(ctx).chairId;
  return listed.length ? listed : setting ? [setting] : [];
}

/**
 * The chairs who oversee a case of `departmentId`: a branch's chair only for the branch's departments, the
 * whole union's chair for every case (one with no department included). When none of them covers it (the
 * org tree leaves a gap), every chair, so that an escalation always reaches someone.
 */
export async function chairsOver(ctx: Ctx, departmentId: string | null): Promise<string[]> {
  const all = await chairs(ctx);
  const scopes = await Promise.all(all.map(async (id) => (await readStanding(ctx, id)).staffScope));
  const over = all.filter((_, i) => departmentInScope(scopes[i], departmentId));
  return over.length ? over : all;
}

export type RouteSource = 'category' | 'staffRole' | 'chair';

/**
 * Who may get a new case of `category`, in the order of the fallbacks: the category's handling staff;
 * until the chair names them, the union staff the host lists by role; failing that, the chair.
 */
export async function candidatesFor(ctx: Ctx, trx: Trx, category: string): Promise<{ ids: string[]; source: RouteSource }> {
  const named = (await trx('union_grievance_category_staff').where({ category }).orderBy('employee_id').pluck('employee_id')) as string[];
  if (named.length) return { ids: named, source: 'category' };
  const staff = await peopleWithRole(ctx, 'union.staff');
  if (staff.length) return { ids: staff, source: 'staffRole' };
  const chair = await chairs(ctx);
  if (chair.length) return { ids: chair, source: 'chair' };
  throw new Conflict('Nobody can handle grievances yet: name staff for the category, or set grievances.chairId', [
    { path: 'assigneeId', message: 'no handling staff, no staff role the host can list, no chair' },
  ]);
}

/**
 * Picks the assignee for a new case. The caller holds the category row's lock, so two cases filed at
 * once in one category are routed one after the other and see each other's load.
 */
export async function chooseAssignee(ctx: Ctx, trx: Trx, category: string, exclude: string[] = []): Promise<string> {
  const { ids } = await candidatesFor(ctx, trx, category);
  const pool = ids.filter((id) => !exclude.includes(id));
  const candidates = pool.length ? pool : ids;
  const rows: Array<{ assignee_id: string; open: number | string; last: string | null }> = await trx('union_grievances')
    .whereIn('assignee_id', candidates)
    .groupBy('assignee_id')
    .select('assignee_id')
    .select(trx.raw('sum(case when status in (?, ?, ?) then 1 else 0 end) as open', [...OPEN_STATUSES]))
    .max({ last: 'assigned_at' });
  const load = new Map(rows.map((r) => [r.assignee_id, { open: Number(r.open), lastAssignedAt: String(r.last ?? '') }]));
  return pickLeastLoaded(candidates, load);
}

/**
 * What the chair's page says when the host cannot list people by role (`employees.withRole`, optional
 * in the host contract): categories without named staff then skip the union staff and go straight to
 * the chair, or are refused when no chair is set. Null when the host can list roles.
 */
export async function routingNotice(ctx: Ctx): Promise<{ categories: string[]; chairSet: boolean } | null> {
  if (typeof ctx.host.employees.withRole === 'function') return null;
  const [active, named] = await Promise.all([
    ctx.db('union_grievance_categories').where({ active: true }).orderBy('sort').orderBy('code').pluck('code') as Promise<string[]>,
    ctx.db('union_grievance_category_staff').distinct('category').pluck('category') as Promise<string[]>,
  ]);
  return { categories: active.filter((c) => !named.includes(c)), chairSet: Boolean(grievanceSettings(ctx).chairId) };
}

/** People who may own a rectification item: the categories' staff, the union staff and chairs the host lists, employed now. */
export async function ownerCandidates(ctx: Ctx): Promise<Employee[]> {
  const [named, staff, chair] = await Promise.all([
    ctx.db('union_grievance_category_staff').distinct('employee_id').pluck('employee_id') as Promise<string[]>,
    peopleWithRole(ctx, 'union.staff'),
    chairs(ctx),
  ]);
  const people = await ctx.host.employees.getMany([...new Set([...named, ...staff, ...chair])]);
  return people.filter((p) => p.status === 'employed').sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
