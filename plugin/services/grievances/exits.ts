/**
 * When an assignee leaves (the host's exit event, or the overdue job finding someone whose exit date has
 * come), their cases that are not closed go to a successor the routing rules choose: the least-loaded of
 * the category's staff (else the union staff the host lists by role) other than leavers, failing that the
 * chair. One transaction per leaver; a duplicate or concurrent event finds nothing left to move.
 */
import type { Actor, Ctx, Trx } from '../../context';
import { inTransaction, lockForUpdate } from '../../lib/db';
import { Conflict } from '../../errors';
import { transition } from '../workflow';
import { sendNotice } from '../notices';
import { grievanceFlow, type ExitReassignInput } from './flow';
import { candidatesFor, chairsOver, chooseAssignee } from './routing';
import { categoryLabel } from './categories';

/** Cases the assignee still answers for: everything but closed (a resolved case awaits its follow-up). */
const HELD = ['received', 'in_progress', 'waiting_on_employee', 'resolved'];

/** Who of `ids` still works here, as the host says now. */
async function employed(ctx: Ctx, ids: string[]): Promise<string[]> {
  const people = await ctx.host.employees.getMany(ids);
  return ids.filter((id) => people.some((p) => p.id === id && p.status === 'employed'));
}

async function successor(ctx: Ctx, trx: Trx, category: string, departmentId: string | null, leaver: string): Promise<string | null> {
  // The category row's lock serialises routing within the category, as for a new case.
  await lockForUpdate(trx, trx('union_grievance_categories').where({ code: category }).first('code'));
  // Nobody to route to (no staff, no role list, no chair) is not an error here: the case waits with the leaver.
  const { ids } = await candidatesFor(ctx, trx, category).catch((err: unknown) => {
    if (err instanceof Conflict) return { ids: [] as string[] };
    throw err;
  });
  const staying = await employed(
    ctx,
    ids.filter((id) => id !== leaver),
  );
  if (staying.length) {
    const gone = ids.filter((id) => !staying.includes(id));
    return chooseAssignee(ctx, trx, category, gone);
  }
  const chair = await employed(
    ctx,
    (await chairsOver(ctx, departmentId)).filter((id) => id !== leaver),
  );
  return chair[0] ?? null;
}

export async function reassignLeaversCases(ctx: Ctx, leaver: string, actor: Actor): Promise<number> {
  const moved = await inTransaction(ctx.db, async (trx) => {
    const rows: Array<{ id: number; category: string; department_id: string | null }> = await lockForUpdate(
      trx,
      trx('union_grievances')
        .where({ assignee_id: leaver })
        .whereIn('status', HELD)
        .orderBy('id')
        .select('id', 'category', 'department_id'),
    );
    const out: Array<{ id: number; category: string; to: string }> = [];
    for (const r of rows) {
      const to = await successor(ctx, trx, r.category, r.department_id, leaver);
      if (!to) continue;
      await transition(ctx, trx, grievanceFlow, r.id, 'reassign_exit', actor, { to } satisfies ExitReassignInput);
      out.push({ id: r.id, category: r.category, to });
    }
    const stuck = rows.length - out.length;
    if (stuck)
      ctx.host.logger.warn({ leaver: 'redacted', cases: stuck }, 'union: no successor for a leaver’s grievances (no staff, no chair)');
    return out;
  });
  for (const m of moved)
    await sendNotice(ctx, {
      to: [m.to],
      template: 'union.grievance.assigned',
      key: 'grievances.notices.assigned',
      vars: { id: m.id, category: categoryLabel(ctx, m.category) },
      link: `/union/grievances/${m.id}`,
    });
  return moved.length;
}

/** The host's exit event: effective now (no exit date, or one that has come), the leaver's cases move. */
type ExitEvent = { id: string; type: string; data: { employeeId: string; exitDate?: string } };

export async function onAssigneeExit(ctx: Ctx, event: ExitEvent) {
  await onAssigneeExits(ctx, [event]);
}

/** A batch of host events (a webhook batch): one query finds the leavers who hold cases; only theirs are moved. */
export async function onAssigneeExits(ctx: Ctx, events: ExitEvent[]) {
  const today = ctx.today();
  // An exit dated later waits: the overdue job moves the cases on the day.
  const exits = events.filter((e) => e.type === 'employee.exited' && !(e.data.exitDate && e.data.exitDate > today));
  if (!exits.length) return;
  const holding = new Set<string>(
    await ctx
      .db('union_grievances')
      .whereIn('assignee_id', [...new Set(exits.map((e) => e.data.employeeId))])
      .whereIn('status', HELD)
      .distinct()
      .pluck('assignee_id'),
  );
  for (const e of exits)
    if (holding.has(e.data.employeeId)) await reassignLeaversCases(ctx, e.data.employeeId, { id: `event:${e.id}`, kind: 'event' });
}

/** The job's sweep: assignees whose exit date has come by the module's facts (a missed or future-dated event). */
export async function reassignExitedAssignees(ctx: Ctx): Promise<number> {
  const leavers: string[] = await ctx
    .db('union_grievances as g')
    .join('union_employees as e', 'e.employee_id', 'g.assignee_id')
    .whereIn('g.status', HELD)
    .where('e.exit_date', '<=', ctx.today())
    .distinct('g.assignee_id')
    .pluck('g.assignee_id');
  let n = 0;
  for (const id of leavers) n += await reassignLeaversCases(ctx, id, { id: 'job:grievances-overdue', kind: 'job' });
  return n;
}
