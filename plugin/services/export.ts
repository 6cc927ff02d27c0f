import type { Writable } from 'node:stream';
import type { Ctx } from '../context';
import { t, type Lang } from '../i18n';
import { maskIdNumber } from '../lib/mask';
import { writeCsv, writeXlsx } from '../lib/sheets';
import { listMembers, type MemberFilter } from './ledger';
import type { Scope } from './scope';

const COLUMNS = ['memberNo', 'name', 'employeeId', 'department', 'status', 'joinedAt', 'expiredAt', 'phone', 'idNumber'] as const;

/**
 * Streams the filtered ledger page by page. Contact data is read from the host at export time (we
 * keep no copy), and ID numbers leave masked.
 */
async function* exportRows(ctx: Ctx, filter: Omit<MemberFilter, 'after' | 'limit'>, lang: Lang, scope: Scope) {
  const departments = new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
  let after: number | undefined;
  do {
    const page = await listMembers(ctx, { ...filter, after, limit: 1000 }, scope);
    const people = new Map((await ctx.host.employees.getMany(page.items.map((i) => i.employeeId))).map((e) => [e.id, e]));
    for (const m of page.items) {
      const p = people.get(m.employeeId);
      yield [
        m.memberNo ?? '',
        p?.name ?? '',
        p?.employeeNo ?? m.employeeId,
        departments.get(m.departmentId ?? '') ?? m.departmentId ?? '',
        t(lang, `members.status.${m.status}`),
        m.joinedAt ?? '',
        m.expiredAt ?? '',
        p?.phone ?? '',
        maskIdNumber(p?.idNumber),
      ];
    }
    after = page.nextAfter ?? undefined;
  } while (after);
}

function header(lang: Lang): string[] {
  const keys: Record<(typeof COLUMNS)[number], string> = {
    memberNo: 'members.fields.memberNo',
    name: 'members.fields.name',
    employeeId: 'members.fields.employeeId',
    department: 'members.fields.department',
    status: 'members.fields.status',
    joinedAt: 'members.fields.joinedAt',
    expiredAt: 'members.fields.expiredAt',
    phone: 'export.phone',
    idNumber: 'export.idNumber',
  };
  return COLUMNS.map((c) => t(lang, keys[c]));
}

type ExportFilter = Omit<MemberFilter, 'after' | 'limit'>;

/** Only the members in the caller's scope leave: a branch's staff export their branch. */
export async function exportXlsx(ctx: Ctx, filter: ExportFilter, lang: Lang, out: Writable, scope: Scope): Promise<void> {
  await writeXlsx(out, t(lang, 'members.titles.ledger'), header(lang), exportRows(ctx, filter, lang, scope));
}

export async function exportCsv(ctx: Ctx, filter: ExportFilter, lang: Lang, out: Writable, scope: Scope): Promise<void> {
  await writeCsv(out, header(lang), exportRows(ctx, filter, lang, scope));
}
