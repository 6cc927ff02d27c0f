/**
 * A year of union work on the bench company, made once with set-based SQL (kept apart from the tables
 * other scenarios check): 20 activities a month with about one member in 80 at each (check-ins and
 * scores), 500 grievances a month in every state, and a monthly welfare plan paid to 24 of every 25
 * members. A settings row marks it made, so later runs reuse it.
 */
import type { Knex } from 'knex';
import type { Ctx } from '../../plugin/context';
import { rebuildTallies } from '../../plugin/services/grievances/tallies';

const MARK = 'bench.desk.year';
const VERSION = 2;
const pad = (n: number) => String(n).padStart(2, '0');

export async function ensureYear(db: Knex, ctx: Ctx, log: (s: string) => void): Promise<{ reused: boolean; ms: number }> {
  const t0 = Date.now();
  const mark = await db('union_settings').where({ key: MARK }).first('value');
  if (mark && JSON.parse(mark.value).version === VERSION) return { reused: true, ms: 0 };
  const year = Number(ctx.today().slice(0, 4));
  const lastMonth = Number(ctx.today().slice(5, 7));
  const now = ctx.nowSql();
  await db('union_activity_registrations')
    .where('employee_id', 'like', '%')
    .whereIn('activity_id', db('union_activities').where('created_by', 'bench').select('id'))
    .delete();
  await db('union_activities').where({ created_by: 'bench' }).delete();
  await db('union_grievances').where({ recorded_by: 'bench' }).delete();
  await db('union_welfare_payments').where({ batch: 'bench' }).delete();
  await db('union_welfare_plans').where({ created_by: 'bench' }).delete();

  for (let m = 1; m <= lastMonth; m++) {
    const day = `${year}-${pad(m)}-10`;
    const past = m < lastMonth;
    for (let i = 0; i < 20; i++) {
      const [id] = await db('union_activities').insert({
        title: `${m}月活动 ${i + 1}`,
        type: ['sports', 'lecture', 'outdoor', 'culture'][i % 4],
        location: '活动中心',
        start_at: `${day} 01:00:00.000`,
        end_at: `${day} 04:00:00.000`,
        registration_deadline: `${year}-${pad(m)}-09 10:00:00.000`,
        capacity: null,
        audience_kind: 'members',
        status: past ? 'finished' : 'published',
        created_by: 'bench',
        created_at: now,
        updated_at: now,
        published_at: now,
      });
      await db.raw(
        `insert into union_activity_registrations (activity_id, employee_id, status, option_ids, created_at, registered_at, checked_in_at, checkin_method, score, feedback_at)
         select ?, employee_id, 'registered', '[]', ?, ?, ${past ? '?' : 'null'}, ${past ? "'roster'" : 'null'},
           ${past ? '1 + crc32(concat(employee_id, ?)) % 5' : 'null'}, ${past ? '?' : 'null'}
         from union_memberships where status = 'active' and crc32(concat(employee_id, ?)) % 80 = 0`,
        past ? [id, now, now, `${day} 02:00:00.000`, `s${id}`, now, `a${id}`] : [id, now, now, `a${id}`],
      );
      // The activity's counter agrees with its rows, as the module's writer keeps it (a job that frees a
      // place decrements it; a counter left at 0 went negative in the two-instances scenario).
      await db.raw(
        "update union_activities set taken = (select count(*) from union_activity_registrations where activity_id = ? and status = 'registered') where id = ?",
        [id, id],
      );
    }
    await db.raw(
      `insert into union_grievances (filer_id, anonymous, department_id, category, content, channel, status, path, assignee_id, assigned_at,
         received_at, received_on, due_at, due_date, due_estimated, escalation_level, resolved_at, handling_days, on_time, outcome, evaluation, recorded_by, reopened_count)
       select m.employee_id, 0, m.department_id, elt(1 + crc32(m.employee_id) % 3, 'wages_benefits', 'labour_protection', 'other'), '诉求', 'online',
         elt(1 + crc32(concat(m.employee_id, ?)) % 5, 'closed', 'closed', 'resolved', 'in_progress', 'closed'), 'coordinated', 'u_staff', ?,
         ?, ?, ?, ?, 0, 0, ?, 1 + crc32(m.employee_id) % 7, crc32(m.employee_id) % 6 > 0, 'resolved',
         elt(1 + crc32(concat(m.employee_id, 'e')) % 4, 'satisfied', 'basically_satisfied', 'dissatisfied', 'satisfied'), 'bench', 0
       from union_memberships m where m.status = 'active' and crc32(concat(m.employee_id, ?)) % 170 = 0`,
      [
        `g${m}`,
        `${day} 02:00:00.000`,
        `${day} 02:00:00.000`,
        day,
        `${year}-${pad(m)}-17 15:59:59.999`,
        `${year}-${pad(m)}-17`,
        `${year}-${pad(m)}-15 02:00:00.000`,
        `g${m}`,
      ],
    );
    log(`desk data: month ${m} of ${lastMonth}`);
  }
  // Open cases have no resolution facts.
  await db('union_grievances')
    .where({ recorded_by: 'bench', status: 'in_progress' })
    .update({ resolved_at: null, handling_days: null, on_time: null, outcome: null, evaluation: null });
  await db('union_grievances').where({ recorded_by: 'bench', status: 'resolved' }).update({ evaluation: null });
  await rebuildTallies(ctx);

  const [planId] = await db('union_welfare_plans').insert({
    name: '交通补贴',
    amount_cents: 10000,
    cycle: 'monthly',
    starts_on: `${year}-01-01`,
    audience: 'all_members',
    created_by: 'bench',
    created_at: now,
  });
  for (let m = 1; m < lastMonth; m++) {
    await db.raw(
      `insert into union_welfare_payments (plan_id, period, employee_id, amount_cents, batch, recorded_by, recorded_at)
       select ?, ?, employee_id, 10000, 'bench', 'bench', ? from union_memberships where status = 'active' and crc32(concat(employee_id, ?)) % 25 > 0`,
      [planId, `${year}-${pad(m)}`, now, `p${m}`],
    );
  }
  await db('union_settings')
    .insert({ key: MARK, value: JSON.stringify({ version: VERSION, year }), updated_by: 'bench', updated_at: now })
    .onConflict('key')
    .merge(['value', 'updated_at']);
  return { reused: false, ms: Date.now() - t0 };
}
