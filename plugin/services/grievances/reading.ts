import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { NotFound } from '../../errors';
import { allowedActions } from '../workflow';
import { grievanceFlow, relationsTo, type CaseMover, type GrievanceRow } from './flow';
import { presentCase, presentListItem, type HistoryRow } from './presenter';
import { OPEN_STATUSES } from './routing';
import { listEvidence } from './evidence';
import { jointSteps, jointView } from './joint';
import { GrievancePermissions } from '../../routes/grievances/permissions';
import { WHOLE_UNION, whereDepartmentInScope, type Scope } from '../scope';

export const moverOf = (user: UnionUser): CaseMover => ({ id: user.id, kind: 'user', grants: user.permissions, scope: user.scope });

/**
 * A case as its viewer may see it. Anyone who is not the filer, the assignee or the chair gets 404, as
 * if the case did not exist; every read by staff (assignee or chair) is logged for the chair.
 */
export async function viewCase(ctx: Ctx, user: UnionUser, id: number) {
  const row: GrievanceRow | undefined = await ctx.db('union_grievances').where({ id }).first();
  const mover = moverOf(user);
  const rel = row ? relationsTo(row, mover) : new Set<string>();
  if (!row) throw new NotFound(`No grievance ${id}`);
  if (rel.size === 0) {
    // The staff of a joint sheet's current step see the case as their step needs it, and nobody else does.
    const step = await jointView(ctx, user, row);
    if (!step) throw new NotFound(`No grievance ${id}`);
    return step;
  }
  if (rel.has('assignee') || rel.has('chair')) {
    await ctx
      .db('union_grievance_reads')
      .insert({ grievance_id: id, reader_id: user.id, relation: rel.has('chair') ? 'chair' : 'assignee', at: ctx.nowSql() });
  }
  const history: HistoryRow[] = await ctx.db('union_grievance_history').where({ grievance_id: id }).orderBy('id');
  const ids = [row.assignee_id, ...(row.filer_id ? [row.filer_id] : []), ...history.map((h) => h.actor)];
  const people = new Map((await ctx.host.employees.getMany(ids)).map((e) => [e.id, e]));
  const [files, joint] = await Promise.all([listEvidence(ctx, id), jointSteps(ctx, id)]);
  return { ...presentCase(row, rel, history, people, allowedActions(grievanceFlow, row, mover)), files, jointSteps: joint };
}

/** The caller's own cases, newest first. */
export async function myCases(ctx: Ctx, user: UnionUser) {
  const rows: GrievanceRow[] = await ctx.db('union_grievances').where({ filer_id: user.id }).orderBy('id', 'desc').limit(200);
  return rows.map((r) => presentListItem(r, new Set(['filer'])));
}

/** Staff see their assigned open cases (soonest deadline first); the chair may ask for every open case. */
export async function inbox(ctx: Ctx, user: UnionUser, scope: 'mine' | 'all' = 'mine') {
  const mover = moverOf(user);
  const q = ctx
    .db('union_grievances')
    .whereIn('status', [...OPEN_STATUSES, 'resolved'])
    .orderByRaw('due_at is null, due_at')
    .orderBy('id')
    .limit(500);
  if (scope === 'mine' || !user.permissions.has(GrievancePermissions.grievancesOversee)) q.where({ assignee_id: user.id });
  else whereDepartmentInScope(q, user.scope, 'department_id');
  const rows: GrievanceRow[] = await q;
  return rows.map((r) => presentListItem(r, relationsTo(r, mover)));
}

/** Open cases past their deadline or escalated: the monthly review's list (月度督办), within the caller's scope. */
export async function overdueList(ctx: Ctx, scope: Scope = WHOLE_UNION) {
  const rows: GrievanceRow[] = await whereDepartmentInScope(ctx.db('union_grievances'), scope, 'department_id')
    .whereIn('status', [...OPEN_STATUSES])
    .where((q) => q.where('due_at', '<', ctx.nowSql()).orWhere('escalation_level', '>', 0))
    .orderBy('due_at')
    .limit(1000);
  return rows.map((r) => presentListItem(r, new Set(['chair'])));
}

/** Who read a case, for the chair. */
export async function readLog(ctx: Ctx, id: number) {
  const rows = await ctx.db('union_grievance_reads').where({ grievance_id: id }).orderBy('id').select('reader_id', 'relation', 'at');
  return rows.map((r: { reader_id: string; relation: string; at: string }) => ({
    readerId: r.reader_id,
    relation: r.relation,
    at: new Date(`${r.at.replace(' ', 'T')}Z`).toISOString(),
  }));
}
