import type { Actor, Ctx } from '../context';
import { Invalid, NotFound } from '../errors';
import { inTransaction } from '../lib/db';
import { writeAudit } from './audit';
import { orgInScope, type Scope } from './scope';

export type OfficerRole = 'staff' | 'chair';

export interface Officer {
  employeeId: string;
  role: OfficerRole;
}

/**
 * Who serves an org as staff or chair. The host's roles say that someone is union staff; this list says
 * of which org, and so what they see. An entry grants no role by itself: without the host's union_staff
 * or union_chair role it changes nothing.
 */
export async function listOfficers(ctx: Ctx, orgId: number, scope: Scope): Promise<Officer[]> {
  const org = await ctx.db('union_orgs').where({ id: orgId }).first('id');
  if (!org || !orgInScope(scope, org.id)) throw new NotFound('No such union org');
  const rows: Array<{ employee_id: string; role: OfficerRole }> = await ctx
    .db('union_org_officers')
    .where({ org_id: orgId })
    .orderBy('employee_id')
    .select('employee_id', 'role');
  return rows.map((r) => ({ employeeId: r.employee_id, role: r.role }));
}

/** Replaces an org's officers (the chair's 任命), in one transaction with one audit row. */
export async function setOfficers(ctx: Ctx, actor: Actor, orgId: number, officers: Officer[], scope: Scope): Promise<void> {
  const ids = officers.map((o) => o.employeeId);
  const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (dup >= 0) throw Invalid.field(`body.officers.${dup}.employeeId`, 'is listed twice');
  const known = new Set((await ctx.host.employees.getMany(ids)).map((e) => e.id));
  const unknown = ids.findIndex((id) => !known.has(id));
  if (unknown >= 0) throw Invalid.field(`body.officers.${unknown}.employeeId`, 'is not an employee in the host');
  await inTransaction(ctx.db, async (trx) => {
    const org = await trx('union_orgs').where({ id: orgId }).first('id');
    if (!org || !orgInScope(scope, org.id)) throw new NotFound('No such union org');
    const before = await trx('union_org_officers').where({ org_id: orgId }).orderBy('employee_id').select('employee_id', 'role');
    await trx('union_org_officers').where({ org_id: orgId }).delete();
    if (officers.length) {
      const at = ctx.nowSql();
      await trx('union_org_officers').insert(
        officers.map((o) => ({ org_id: orgId, employee_id: o.employeeId, role: o.role, assigned_by: actor.id, assigned_at: at })),
      );
    }
    await writeAudit(ctx, trx, actor, { action: 'org.set_officers', entity: 'org', entityId: orgId, before, after: officers });
  });
}

/** Every org's officers with their names, for the orgs page. */
export async function officersByOrg(ctx: Ctx): Promise<Map<number, Array<Officer & { name: string }>>> {
  const rows: Array<{ org_id: number; employee_id: string; role: OfficerRole }> = await ctx
    .db('union_org_officers')
    .orderBy(['org_id', 'role', 'employee_id'])
    .select('org_id', 'employee_id', 'role');
  const names = new Map((await ctx.host.employees.getMany(rows.map((r) => r.employee_id))).map((e) => [e.id, e.name]));
  const out = new Map<number, Array<Officer & { name: string }>>();
  for (const r of rows) {
    const list = out.get(r.org_id) ?? [];
    list.push({ employeeId: r.employee_id, role: r.role, name: names.get(r.employee_id) ?? r.employee_id });
    out.set(r.org_id, list);
  }
  return out;
}

/** The page's form names officers as two lists of employee ids (chairs, staff), separated by spaces or commas. */
export function officersFromForm(chairIds: string, staffIds: string): Officer[] {
  const split = (v: string) => v.split(/[\s,，、]+/).filter(Boolean);
  return [
    ...split(chairIds).map((employeeId) => ({ employeeId, role: 'chair' as const })),
    ...split(staffIds).map((employeeId) => ({ employeeId, role: 'staff' as const })),
  ];
}
