import { addTable } from './lib/helpers';

// Running totals of grievances per month of receipt, category and department, kept by the writers in the
// same transaction as each case's change, so the chair's statistics read a few hundred rows instead of
// every case (200,000 cases: a GROUP BY over the cases took 300-400 ms; the totals take a few ms).
export const { up, down } = addTable('union_grievance_tallies', (t) => {
  t.string('month', 7).notNullable(); // 2026-11
  t.string('category', 32).notNullable();
  t.string('department_id', 64).notNullable(); // '' for cases without a department (anonymous offline notes)
  t.integer('n').notNullable().defaultTo(0);
  t.integer('resolved').notNullable().defaultTo(0);
  t.integer('on_time').notNullable().defaultTo(0);
  t.integer('timed').notNullable().defaultTo(0);
  t.integer('good').notNullable().defaultTo(0);
  t.integer('evaluated').notNullable().defaultTo(0);
  t.integer('days').notNullable().defaultTo(0);
  t.integer('days_n').notNullable().defaultTo(0);
  t.primary(['month', 'category', 'department_id']);
});
