/**
 * 公示: the public notice of granted help and the objections raised against it. The notice shows a masked
 * name, the department, the category and the amount, never the description, the verification or the
 * visit (health and family details stay in the case file). Any member may object while a case is on
 * notice; the handling staff or the chair resolve each objection: upheld sends the case back to 会商,
 * dismissed lets the notice run on.
 */
import type { Ctx } from '../../context';
import type { UnionUser } from '../../auth';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { asDate } from '../../lib/time';
import { writeAudit } from '../audit';
import { sendNotice } from '../notices';
import { transition } from '../workflow';
import { peopleWithRole } from '../roles';
import { assistanceFlow, relationsTo, type CaseRow } from './assistance-flow';
import { assistanceSettings, maskName, stepDays } from './assistance-rules';
import { caseLink, categoryLabel, moverOf, present } from './assistance';

export interface NoticeEntry {
  id: number;
  name: string;
  department: string;
  category: string;
  kind: string | null;
  amount: string | null;
  startsOn: string;
  endsOn: string;
}

/** The cases on public notice today, with only what a notice may show. */
export async function publicNotices(ctx: Ctx): Promise<NoticeEntry[]> {
  const today = ctx.today();
  const rows: Array<
    Pick<CaseRow, 'id' | 'employee_id' | 'department_id' | 'category' | 'kind' | 'amount_cents' | 'notice_starts_on' | 'notice_ends_on'>
  > = await ctx
    .db('union_assistance_cases')
    .where({ status: 'noticed' })
    .where('notice_starts_on', '<=', today)
    .orderBy('notice_ends_on')
    .orderBy('id')
    .limit(500)
    .select('id', 'employee_id', 'department_id', 'category', 'kind', 'amount_cents', 'notice_starts_on', 'notice_ends_on');
  const [people, departments] = await Promise.all([
    ctx.host.employees.getMany(rows.map((r) => r.employee_id)),
    ctx.host.employees.departments(),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const depts = new Map(departments.map((d) => [d.id, d.name]));
  return rows.map((r) => ({
    id: r.id,
    name: maskName(names.get(r.employee_id)),
    department: depts.get(r.department_id ?? '') ?? '—',
    category: r.category,
    kind: r.kind,
    amount: r.amount_cents === null ? null : (r.amount_cents / 100).toFixed(2),
    startsOn: asDate(r.notice_starts_on)!,
    endsOn: asDate(r.notice_ends_on)!,
  }));
}

/**
 * An objection to a case on notice, from any member (or recorded by staff from a letter or a call). A case
 * that is not on notice is not public: 404, as if it did not exist. The staff on the case and the chair
 * are told; the objector's name stays with them.
 */
export async function raiseObjection(ctx: Ctx, user: UnionUser, id: number, body: { reason: string }) {
  const reason = body.reason.trim();
  if (!reason) throw Invalid.field('body.reason', 'is required');
  const out = await inTransaction(ctx.db, async (trx) => {
    const row: CaseRow | undefined = await lockForUpdate(trx, trx('union_assistance_cases').where({ id })).first();
    if (!row || row.status !== 'noticed') throw new NotFound(`No assistance case on notice ${id}`);
    const at = ctx.nowSql();
    const [objectionId] = await trx('union_assistance_objections').insert({ case_id: id, raised_by: user.id, reason, raised_at: at });
    await trx('union_assistance_history').insert({
      case_id: id,
      at,
      actor: user.id,
      action: 'objection',
      from_status: row.status,
      to_status: row.status,
      note: reason,
    });
    await writeAudit(ctx, trx, moverOf(user), {
      action: 'assistance_case.objection',
      entity: 'assistance_case',
      entityId: id,
      after: { objectionId: Number(objectionId) },
    });
    return { handler: row.handler_id, category: row.category, objectionId: Number(objectionId) };
  });
  await sendNotice(ctx, {
    to: [out.handler, ...(await peopleWithRole(ctx, 'union.chair'))],
    template: 'union.assistance.objection',
    key: 'assistance.notify.objection',
    vars: { id, category: categoryLabel(ctx, out.category) },
    link: caseLink(id),
  });
  return { id: out.objectionId, caseId: id };
}

/** The staff on the case or the chair answer an objection; upheld sends the case back to 会商. */
export async function resolveObjection(
  ctx: Ctx,
  user: UnionUser,
  id: number,
  objectionId: number,
  body: { outcome: 'upheld' | 'dismissed'; resolution: string },
) {
  const mover = moverOf(user);
  return inTransaction(ctx.db, async (trx) => {
    const row: CaseRow | undefined = await lockForUpdate(trx, trx('union_assistance_cases').where({ id })).first();
    const rel = row ? relationsTo(row, mover) : new Set<string>();
    if (!row || rel.size === 0) throw new NotFound(`No assistance case ${id}`);
    if (!rel.has('handler') && !rel.has('chair')) throw new Forbidden('Only the staff on the case or the chair resolve objections');
    const objection = await lockForUpdate(trx, trx('union_assistance_objections').where({ id: objectionId, case_id: id })).first();
    if (!objection) throw new NotFound(`No objection ${objectionId}`);
    if (objection.outcome) throw new Conflict(`The objection is ${objection.outcome}`, [{ path: 'outcome', message: objection.outcome }]);
    const resolution = body.resolution.trim();
    if (!resolution) throw Invalid.field('body.resolution', 'is required');
    await trx('union_assistance_objections')
      .where({ id: objectionId })
      .update({ outcome: body.outcome, resolution, resolved_by: user.id, resolved_at: ctx.nowSql() });
    if (body.outcome === 'upheld') {
      const days = stepDays(assistanceSettings(ctx), Boolean(row.urgent), 'confer');
      const moved = await transition(ctx, trx, assistanceFlow, id, 'reconfer', mover, { note: resolution, days });
      return { objectionId, outcome: body.outcome, case: present(moved.after) };
    }
    await trx('union_assistance_history').insert({
      case_id: id,
      at: ctx.nowSql(),
      actor: user.id,
      action: 'objection_dismissed',
      from_status: row.status,
      to_status: row.status,
      note: resolution,
    });
    await writeAudit(ctx, trx, mover, {
      action: 'assistance_case.objection_dismissed',
      entity: 'assistance_case',
      entityId: id,
      after: { objectionId },
    });
    return { objectionId, outcome: body.outcome, case: present(row) };
  });
}
