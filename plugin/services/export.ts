import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { Ctx } from '../context';
import { t, type Lang } from '../i18n';
import { maskIdNumber } from '../lib/mask';
import { listMembers, type MemberFilter } from './ledger';

const COLUMNS = ['memberNo', 'name', 'employeeId', 'department', 'status', 'joinedAt', 'expiredAt', 'phone', 'idNumber'] as const;

/**
 * Streams the filtered ledger page by page. Contact data is read from the host at export time (we
 * keep no copy), and ID numbers leave masked.
 */
async function* exportRows(ctx: Ctx, filter: Omit<MemberFilter, 'after' | 'limit'>, lang: Lang) {
  const departments = new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
  let after: number | undefined;
  do {
    const page = await listMembers(ctx, { ...filter, after, limit: 1000 });
    const people = new Map((await ctx.host.employees.getMany(page.items.map((i) => i.employeeId))).map((e) => [e.id, e]));
    for (const m of page.items) {
      const p = people.get(m.employeeId);
      yield [
        m.memberNo ?? '', p?.name ?? '', p?.employeeNo ?? m.employeeId, departments.get(m.departmentId ?? '') ?? m.departmentId ?? '',
        t(lang, `members.status.${m.status}`), m.joinedAt ?? '', m.expiredAt ?? '', p?.phone ?? '', maskIdNumber(p?.idNumber),
      ];
    }
    after = page.nextAfter ?? undefined;
  } while (after);
}

function header(lang: Lang): string[] {
  const keys: Record<(typeof COLUMNS)[number], string> = {
    memberNo: 'members.fields.memberNo', name: 'members.fields.name', employeeId: 'members.fields.employeeId', department: 'members.fields.department',
    status: 'members.fields.status', joinedAt: 'members.fields.joinedAt', expiredAt: 'members.fields.expiredAt', phone: 'export.phone', idNumber: 'export.idNumber',
  };
  return COLUMNS.map((c) => t(lang, keys[c]));
}

export async function exportXlsx(ctx: Ctx, filter: Omit<MemberFilter, 'after' | 'limit'>, lang: Lang, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet(t(lang, 'members.titles.ledger'));
  ws.columns = header(lang).map((h) => ({ header: h, width: 16 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const row of exportRows(ctx, filter, lang)) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}

function csvCell(v: string): string {
  // Leading =,+,-,@ would run as formulas in a spreadsheet: prefix them so a name cannot execute.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function exportCsv(ctx: Ctx, filter: Omit<MemberFilter, 'after' | 'limit'>, lang: Lang, out: Writable): Promise<void> {
  out.write('\uFEFF' + header(lang).map(csvCell).join(',') + '\r\n');
  for await (const row of exportRows(ctx, filter, lang)) {
    if (!out.write(row.map((c) => csvCell(String(c))).join(',') + '\r\n')) await new Promise((r) => out.once('drain', r));
  }
  out.end();
}
