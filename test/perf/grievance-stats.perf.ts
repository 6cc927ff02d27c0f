/**
 * Measures the chair's grievance statistics over 200,000 cases (the target: < 200 ms).
 * Not part of npm test (it asserts no time); run alone on your own database:
 *   TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/test_X npx tsx test/perf/grievance-stats.perf.ts
 * The statistics read only union_grievances, so the number of employees does not enter the query.
 */
import { makeWorld } from '../helpers/harness';
import { grievanceStats } from '../../plugin/services/grievances/stats';
import { rebuildTallies } from '../../plugin/services/grievances/tallies';

const CASES = Number(process.env.CASES ?? 200_000);

async function main() {
  const w = await makeWorld({ employees: 10, fakeClock: false });
  try {
    const t0 = Date.now();
    // Set-based synthetic cases on MariaDB's sequence engine: 7 categories, 12 departments, 12 months, all states.
    await w.db.raw(
      `insert into union_grievances (filer_id, anonymous, department_id, category, content, channel, status, path, assignee_id, assigned_at,
         received_at, received_on, due_at, due_date, resolved_at, handling_days, on_time, evaluation)
       select concat('E', lpad(seq % 100000, 6, '0')), seq % 10 = 0, concat('D', lpad(seq % 12 + 1, 2, '0')),
         elt(seq % 7 + 1, 'wages_benefits', 'labour_protection', 'leave_shifts', 'housing_commute', 'skills_promotion', 'female_protection', 'other'),
         'synthetic', 'online', elt(seq % 5 + 1, 'received', 'in_progress', 'waiting_on_employee', 'resolved', 'closed'), 'coordinated',
         concat('S', seq % 40), '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000', date_add('2026-01-01', interval seq % 330 day),
         '2026-01-08 15:59:59.999', '2026-01-08',
         if(seq % 5 >= 3, '2026-01-05 00:00:00.000', null), if(seq % 5 >= 3, seq % 7, null), if(seq % 5 >= 3, seq % 4 > 0, null),
         if(seq % 5 = 4, elt(seq % 3 + 1, 'satisfied', 'basically_satisfied', 'dissatisfied'), null)
       from seq_1_to_${CASES}`,
    );
    console.log(`inserted ${CASES} cases in ${Date.now() - t0} ms`);
    const t1 = Date.now();
    await rebuildTallies(w.plugin.ctx); // bulk-loaded rows bypass the writers that keep the totals
    console.log(`rebuilt the running totals in ${Date.now() - t1} ms`);
    await grievanceStats(w.plugin.ctx); // warm the buffer pool
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = process.hrtime.bigint();
      const out = await grievanceStats(w.plugin.ctx);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (i === 0)
        console.log(
          `total ${out.total}, ${out.byCategory.length} categories, ${out.byDepartment.length} departments, ${out.byMonth.length} months`,
        );
    }
    times.sort((a, b) => a - b);
    console.log(
      `grievanceStats over ${CASES} cases: median ${times[3].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[6].toFixed(1)} ms`,
    );
  } finally {
    await w.close();
    await w.db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
