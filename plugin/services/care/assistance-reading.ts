/**
 * Reading assistance cases: the case file (困难职工档案) for the applicant, the staff on the case and the
 * chair only (anyone else gets 404, as for a case that does not exist), with every read logged; the
 * applicant's own list, the staff's inbox and the chair's view of the hardship list.
 */
import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { NotFound } from '../../errors';
import { asDate } from '../../lib/time';
import { allowedActions } from '../workflow';
import { assistanceFlow, relationsTo, type CaseRow } from './assistance-flow';
import { OPEN_STATUSES } from './assistance-rules';
import { moverOf } from './assistance';
import { AssistancePermissions } from '../../routes/care/assistance-permissions';

const iso = (v: unknown) => (v ? new Date(`${String(v).replace(' ', 'T')}Z`).toISOString() : null);
const yuan = (c: number | null) => (c === null ? null : (c / 100).toFixed(2));

interface HistoryRow {
  at: string;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
}

function listItem(r: CaseRow) {
  return {
    id: r.id,
    status: r.status,
    category: r.category,
    urgent: Boolean(r.urgent),
    submittedAt: iso(r.submitted_at),
    dueAt: iso(r.due_at),
    grade: r.grade,
    onList: Boolean(r.on_list),
    reviewDueOn: asDate(r.review_due_on),
  };
}

/** The case file as its reader may see it; the objectors' names only to the staff on the case and the chair. */
export async function viewCase(ctx: Ctx, user: UnionUser, id: number) {
  const row: CaseRow | undefined = await ctx.db('union_assistance_cases').where({ id }).first();
  const mover = moverOf(user);
  const rel = row ? relationsTo(row, mover) : new Set<string>();
  if (!row || rel.size === 0) throw new NotFound(`No assistance case ${id}`);
  const relation = rel.has('chair') ? 'chair' : rel.has('handler') ? 'handler' : 'applicant';
  await ctx.db('union_assistance_reads').insert({ case_id: id, reader_id: user.id, relation, at: ctx.nowSql() });
  const staffView = relation !== 'applicant';
  const [history, objections]: [HistoryRow[], Array<Record<string, unknown>>] = await Promise.all([
    ctx.db('union_assistance_history').where({ case_id: id }).orderBy('id'),
    ctx.db('union_assistance_objections').where({ case_id: id }).orderBy('id'),
  ]);
  const ids = [row.employee_id, row.handler_id, ...history.map((h) => h.actor), ...objections.map((o) => String(o.raised_by))];
  const people = new Map((await ctx.host.employees.getMany([...new Set(ids)])).map((e) => [e.id, e]));
  const nameOf = (pid: string) => people.get(pid)?.name ?? null;
  const objectorIds = new Set(objections.map((o) => String(o.raised_by)));
  return {
    ...listItem(row),
    relation,
    applicant: { id: row.employee_id, name: nameOf(row.employee_id) },
    departmentId: row.department_id,
    description: row.description,
    recordedBy: row.recorded_by ? nameOf(row.recorded_by) : null,
    handler: nameOf(row.handler_id),
    dueDate: asDate(row.due_date),
    dueEstimated: Boolean(row.due_estimated),
    verification:
      row.verified_employed === null
        ? null
        : {
            employed: Boolean(row.verified_employed),
            departmentId: row.verified_department_id,
            incomeBand: row.verified_income_band,
            homeVisitOn: asDate(row.home_visit_on),
          },
    decision: row.decision,
    kind: row.kind,
    amount: yuan(row.amount_cents),
    noticeStartsOn: asDate(row.notice_starts_on),
    noticeEndsOn: asDate(row.notice_ends_on),
    approvedOn: asDate(row.approved_on),
    paidOn: asDate(row.paid_on),
    welfarePlanId: row.welfare_plan_id,
    followedUpOn: asDate(row.followed_up_on),
    leftListOn: asDate(row.left_list_on),
    objections: objections.map((o) => ({
      id: Number(o.id),
      reason: o.reason as string,
      raisedAt: iso(o.raised_at),
      raisedBy: staffView ? nameOf(String(o.raised_by)) : null,
      outcome: (o.outcome as string | null) ?? null,
      resolution: (o.resolution as string | null) ?? null,
    })),
    // An objector who is not on the case shows in the applicant's copy of the file as "an objector", unnamed.
    history: history.map((h) => ({
      at: iso(h.at),
      action: h.action,
      from: h.from_status,
      to: h.to_status,
      note: h.note,
      by: !staffView && objectorIds.has(h.actor) && h.actor !== row.employee_id && h.action === 'objection' ? null : nameOf(h.actor),
    })),
    actions: allowedActions(assistanceFlow, row, mover),
  };
}

/** The caller's own applications, newest first. */
export async function myCases(ctx: Ctx, user: UnionUser) {
  const rows: CaseRow[] = await ctx.db('union_assistance_cases').where({ employee_id: user.id }).orderBy('id', 'desc').limit(200);
  return rows.map(listItem);
}

/**
 * The staff's cases: open ones soonest deadline first, then those on the list whose review falls due. The
 * chair may ask for every case (`all`); the list shows the category and dates, never what was written.
 */
export async function inbox(ctx: Ctx, user: UnionUser, scope: 'mine' | 'all' = 'mine') {
  const chair = user.permissions.has(AssistancePermissions.assistanceOversee);
  const q = ctx
    .db('union_assistance_cases')
    .where((w) => w.whereIn('status', [...OPEN_STATUSES, 'approved', 'paid']).orWhere('on_list', true))
    .orderByRaw('due_at is null, due_at')
    .orderBy('review_due_on')
    .orderBy('id')
    .limit(500);
  if (scope === 'mine' || !chair) q.where({ handler_id: user.id });
  const rows: CaseRow[] = await q;
  const people = new Map((await ctx.host.employees.getMany([...new Set(rows.map((r) => r.employee_id))])).map((e) => [e.id, e.name]));
  return rows.map((r) => ({ ...listItem(r), applicantName: people.get(r.employee_id) ?? null }));
}

/** Who read a case, for the chair. */
export async function readLog(ctx: Ctx, id: number) {
  const rows = await ctx.db('union_assistance_reads').where({ case_id: id }).orderBy('id').select('reader_id', 'relation', 'at');
  return rows.map((r: { reader_id: string; relation: string; at: string }) => ({
    readerId: r.reader_id,
    relation: r.relation,
    at: iso(r.at),
  }));
}
