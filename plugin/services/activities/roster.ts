import type { Writable } from 'node:stream';
import type { Ctx } from '../../context';
import { t, type Lang } from '../../i18n';
import { writeXlsx } from '../../lib/sheets';
import { fromSqlDateTime } from '../../lib/time';
import { loadActivity } from './activities';
import { shownStatus, type RegistrationStatus } from './rules';
import { optionIdsOf } from './places';
import { localTime } from './notices';

/**
 * Who holds or waits for a place, in the order staff work through it (registered first, then the
 * waitlist in its order). Names, departments and contacts are read from the host now, never stored.
 */
export async function roster(ctx: Ctx, activityId: number) {
  const { activity, options } = await loadActivity(ctx.db, activityId);
  const rows = (await ctx
    .db('union_activity_registrations')
    .where({ activity_id: activityId })
    .whereIn('status', ['registered', 'offered', 'waitlisted'])
    .orderByRaw("case status when 'registered' then 0 when 'offered' then 1 else 2 end")
    .orderBy('waitlist_seq')
    .orderBy('id')) as Array<{
    employee_id: string;
    status: RegistrationStatus;
    option_ids: string;
    checked_in_at: string | null;
    checkin_method: string | null;
  }>;
  const people = new Map((await ctx.host.employees.getMany(rows.map((r) => r.employee_id))).map((e) => [e.id, e]));
  const departments = new Map((await ctx.host.employees.departments()).map((d) => [d.id, d.name]));
  const optionNames = new Map(options.map((o) => [o.id, o.name]));
  return {
    activity: {
      id: activity.id,
      title: activity.title,
      startAt: fromSqlDateTime(activity.start_at)!.toISOString(),
      status: activity.status,
    },
    people: rows.map((r) => {
      const p = people.get(r.employee_id);
      return {
        employeeId: r.employee_id,
        employeeNo: p?.employeeNo ?? r.employee_id,
        name: p?.name ?? r.employee_id,
        department: p ? (departments.get(p.departmentId) ?? p.departmentId) : '',
        contact: p?.phone ?? p?.email ?? '',
        options: optionIdsOf(r).map((id) => optionNames.get(id) ?? String(id)),
        status: shownStatus({ status: r.status, checkedInAt: r.checked_in_at }),
        checkedInAt: r.checked_in_at ? fromSqlDateTime(r.checked_in_at)!.toISOString() : null,
        checkinMethod: r.checkin_method,
      };
    }),
  };
}

/** The roster as an xlsx sheet, streamed. */
export async function exportRoster(ctx: Ctx, activityId: number, lang: Lang, out: Writable): Promise<string> {
  const r = await roster(ctx, activityId);
  const header = ['name', 'employeeNo', 'department', 'contact', 'options', 'status', 'checkedIn'].map((k) =>
    t(lang, `activities.roster.${k}`),
  );
  async function* rows() {
    for (const p of r.people)
      yield [
        p.name,
        p.employeeNo,
        p.department,
        p.contact,
        p.options.join('、'),
        t(lang, `activities.status.${p.status}`),
        p.checkedInAt ? localTime(ctx, p.checkedInAt) : '',
      ];
  }
  await writeXlsx(out, t(lang, 'activities.titles.roster'), header, rows());
  return r.activity.title;
}
