import type { Writable } from 'node:stream';
import type { Ctx } from '../../context';
import { t, type Lang } from '../../i18n';
import { writeXlsx } from '../../lib/sheets';
import { groupMembers, type GroupMember } from './groups';
import type { GroupCode } from './settings';

export interface Named {
  name: string;
  employeeNo: string;
  department: string;
}
export type GroupCard = GroupMember & Named;

/** Names and departments for a page of ids, read from the host now (the module keeps no copy of them). */
export async function withNames<T extends { employeeId: string }>(ctx: Ctx, items: T[]): Promise<Array<T & Named>> {
  const [people, departments] = await Promise.all([
    ctx.host.employees.getMany(items.map((i) => i.employeeId)),
    ctx.host.employees.departments(),
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  return items.map((i) => {
    const p = byId.get(i.employeeId);
    return {
      ...i,
      name: p?.name ?? '',
      employeeNo: p?.employeeNo ?? '',
      department: p ? (deptName.get(p.departmentId) ?? p.departmentId) : '',
    };
  });
}

/**
 * A group's list as xlsx, read page by page at export time: employee number, name and department from the
 * host, the hire date or retirement month the group is about. No phone, no ID number, no birth date.
 */
export async function exportGroup(ctx: Ctx, code: GroupCode, lang: Lang, out: Writable): Promise<void> {
  const header = ['employeeNo', 'name', 'department', 'hireDate', 'retireMonth'].map((k) => t(lang, `care.export.${k}`));
  async function* rows() {
    let after: string | null = null;
    do {
      const page = await groupMembers(ctx, code, { limit: 1000, after });
      for (const c of await withNames(ctx, page.items)) yield [c.employeeNo, c.name, c.department, c.hireDate ?? '', c.retireMonth ?? ''];
      after = page.nextAfter;
    } while (after);
  }
  await writeXlsx(out, t(lang, `care.groups.${code}.name`).slice(0, 31), header, rows());
}
