import { addTables } from './lib/helpers';

// Hardship assistance (专项帮扶): the cases with their deadline columns (workflow helper), the case file
// (every step), who read a case, objections raised during the public notice, and the module's own keys
// (the welfare plan hardship grants are paid under). Employee ids only; names are read from the host.
export const { up, down } = addTables([
  [
    'union_assistance_cases',
    (t) => {
      t.increments('id');
      t.string('employee_id', 64).notNullable();
      t.string('department_id', 64).nullable();
      t.string('category', 24).notNullable(); // illness | work_injury | family_emergency | other
      t.text('description').notNullable();
      t.boolean('urgent').notNullable().defaultTo(false); // 急难: the shorter clock
      t.string('recorded_by', 64).nullable(); // staff who recorded it on the employee's behalf
      t.string('handler_id', 64).notNullable();
      t.string('status', 24).notNullable();
      t.specificType('submitted_at', 'datetime(3)').notNullable();
      t.date('submitted_on').notNullable();
      t.specificType('due_at', 'datetime(3)').nullable();
      t.date('due_date').nullable();
      t.boolean('due_estimated').notNullable().defaultTo(false);
      t.specificType('clock_paused_at', 'datetime(3)').nullable();
      t.integer('clock_remaining_days').nullable();
      // How far the lateness of the deadline `overdue_for` has been told: 1 the handler, 2 the chair.
      t.tinyint('overdue_level').unsigned().notNullable().defaultTo(0);
      t.date('overdue_for').nullable();
      // 核实: what HR said on the day, and the home visit (recorded only with the family's consent).
      t.boolean('verified_employed').nullable();
      t.string('verified_department_id', 64).nullable();
      t.string('verified_income_band', 32).nullable();
      t.date('home_visit_on').nullable();
      // 会商 and 公示
      t.string('decision', 8).nullable(); // grant | reject
      t.string('kind', 16).nullable(); // cash | goods | service
      t.integer('amount_cents').unsigned().nullable();
      t.string('grade', 16).nullable(); // deep | relative | sudden
      t.date('notice_starts_on').nullable();
      t.date('notice_ends_on').nullable();
      t.date('approved_on').nullable();
      // 发放: the welfare payment it was recorded as.
      t.integer('welfare_plan_id').unsigned().nullable();
      t.string('welfare_batch', 36).nullable();
      t.date('paid_on').nullable();
      t.date('followed_up_on').nullable();
      // The hardship list (困难职工) and its yearly review.
      t.boolean('on_list').notNullable().defaultTo(false);
      t.date('review_due_on').nullable();
      t.date('review_reminded_for').nullable();
      t.date('left_list_on').nullable();
      t.specificType('closed_at', 'datetime(3)').nullable();
      t.index(['employee_id', 'id'], 'union_assistance_cases_emp_idx');
      t.index(['handler_id', 'status'], 'union_assistance_cases_handler_idx');
      t.index(['status', 'due_at'], 'union_assistance_cases_due_idx');
      t.index(['on_list', 'review_due_on'], 'union_assistance_cases_review_idx');
      t.index(['welfare_batch'], 'union_assistance_cases_batch_idx');
    },
  ],
  [
    'union_assistance_history',
    (t) => {
      t.increments('id');
      t.integer('case_id').unsigned().notNullable();
      t.specificType('at', 'datetime(3)').notNullable();
      t.string('actor', 64).notNullable();
      t.string('action', 32).notNullable();
      t.string('from_status', 24).nullable();
      t.string('to_status', 24).notNullable();
      t.text('note').nullable();
      t.index(['case_id', 'id'], 'union_assistance_history_case_idx');
    },
  ],
  [
    'union_assistance_reads',
    (t) => {
      t.increments('id');
      t.integer('case_id').unsigned().notNullable();
      t.string('reader_id', 64).notNullable();
      t.string('relation', 16).notNullable(); // applicant | handler | chair
      t.specificType('at', 'datetime(3)').notNullable();
      t.index(['case_id', 'id'], 'union_assistance_reads_case_idx');
    },
  ],
  [
    'union_assistance_objections',
    (t) => {
      t.increments('id');
      t.integer('case_id').unsigned().notNullable();
      t.string('raised_by', 64).notNullable();
      t.text('reason').notNullable();
      t.specificType('raised_at', 'datetime(3)').notNullable();
      t.string('outcome', 16).nullable(); // upheld | dismissed
      t.text('resolution').nullable();
      t.string('resolved_by', 64).nullable();
      t.specificType('resolved_at', 'datetime(3)').nullable();
      t.index(['case_id', 'outcome'], 'union_assistance_objections_case_idx');
    },
  ],
  [
    'union_assistance_keys',
    (t) => {
      t.string('name', 32).primary();
      t.string('value', 64).nullable();
    },
  ],
]);
