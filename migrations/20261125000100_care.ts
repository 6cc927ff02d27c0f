import { addTables } from './lib/helpers';

// Care: the service-group profile (derived flags only) and the welfare ledger (plans and payments).
export const { up, down } = addTables([
  // One row per employee the host knows, refreshed from HR by the care area's job and host events. Only what
  // the six groups need: flags, the hire date and the statutory retirement month. No name, no birth date:
  // names are read from the host when a list is shown or exported.
  [
    'union_care_profiles',
    (t) => {
      t.string('employee_id', 64).primary();
      t.boolean('employed').notNullable();
      t.boolean('female').notNullable();
      t.boolean('shift_worker').notNullable();
      t.boolean('expatriate').notNullable();
      t.date('hire_date').nullable();
      t.date('retire_on').nullable(); // the first of the month of the statutory retirement date
      t.specificType('refreshed_at', 'datetime(3)').notNullable();
      // Covers the six counts: one index-only scan (at 100k: 200 ms from the rows, under 80 ms from this index).
      t.index(['employed', 'female', 'shift_worker', 'expatriate', 'hire_date', 'retire_on'], 'union_care_profiles_groups_idx');
      t.index(['employed', 'hire_date', 'employee_id'], 'union_care_profiles_hire_idx');
      t.index(['employed', 'retire_on', 'employee_id'], 'union_care_profiles_retire_idx');
    },
  ],
  [
    'union_welfare_plans',
    (t) => {
      t.increments('id');
      t.string('name', 100).notNullable();
      t.integer('amount_cents').unsigned().nullable();
      t.string('item', 100).nullable();
      t.string('cycle', 16).notNullable(); // once | monthly | yearly | per_occurrence
      t.date('starts_on').notNullable();
      t.date('ends_on').nullable();
      t.string('audience', 32).notNullable(); // all_members
      t.string('created_by', 128).notNullable();
      t.specificType('created_at', 'datetime(3)').notNullable();
    },
  ],
  [
    'union_welfare_payments',
    (t) => {
      t.bigIncrements('id');
      t.integer('plan_id').unsigned().notNullable().references('id').inTable('union_welfare_plans');
      t.string('period', 7).notNullable(); // YYYY-MM
      t.string('employee_id', 64).notNullable();
      t.integer('amount_cents').unsigned().nullable();
      t.string('batch', 36).notNullable(); // one bulk recording
      t.string('recorded_by', 128).notNullable();
      t.specificType('recorded_at', 'datetime(3)').notNullable();
      // Not unique: the ledger records what was paid, and a second payment is what gap detection must find.
      t.index(['plan_id', 'period', 'employee_id'], 'union_welfare_payments_plan_idx');
      t.index(['employee_id', 'id'], 'union_welfare_payments_emp_idx');
    },
  ],
]);
