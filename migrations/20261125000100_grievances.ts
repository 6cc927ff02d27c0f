import { addTables } from './lib/helpers';

// The working-day calendar's company overrides, and grievances (诉求): categories with their handling
// staff, the cases, their history, the staff read log and the quarterly rectification list.
export const { up, down } = addTables([
  [
    'union_calendar_days',
    (t) => {
      t.date('date').primary();
      t.string('kind', 8).notNullable(); // workday | holiday
      t.string('note', 200).nullable();
      t.string('updated_by', 64).notNullable();
      t.specificType('updated_at', 'datetime(3)').notNullable();
    },
  ],
  [
    'union_grievance_categories',
    (t) => {
      t.string('code', 32).primary();
      t.integer('sort').notNullable().defaultTo(0);
      // Working days for the coordinated path (3–5 per category).
      t.tinyint('coordinated_days').unsigned().notNullable().defaultTo(5);
      t.boolean('active').notNullable().defaultTo(true);
    },
  ],
  [
    'union_grievance_category_staff',
    (t) => {
      t.string('category', 32).notNullable();
      t.string('employee_id', 64).notNullable();
      t.primary(['category', 'employee_id']);
    },
  ],
  [
    'union_grievances',
    (t) => {
      t.increments('id');
      // Null only for an anonymous offline case (an unsigned suggestion-box note).
      t.string('filer_id', 64).nullable();
      t.boolean('anonymous').notNullable().defaultTo(false);
      t.string('department_id', 64).nullable();
      t.string('category', 32).notNullable();
      t.text('content').notNullable();
      t.string('concerns', 200).nullable();
      t.string('channel', 16).notNullable(); // online | hotline_12351 | suggestion_box | visit | service_station
      t.string('recorded_by', 64).nullable();
      t.string('status', 24).notNullable(); // received | in_progress | waiting_on_employee | resolved | closed
      t.string('path', 16).nullable(); // immediate | coordinated | collective | policy
      t.string('next_round', 200).nullable();
      t.string('assignee_id', 64).notNullable();
      t.specificType('assigned_at', 'datetime(3)').notNullable();
      t.specificType('received_at', 'datetime(3)').notNullable();
      t.date('received_on').notNullable();
      t.specificType('due_at', 'datetime(3)').nullable();
      t.date('due_date').nullable();
      // The deadline was counted through a year the official calendar does not know yet.
      t.boolean('due_estimated').notNullable().defaultTo(false);
      t.specificType('clock_paused_at', 'datetime(3)').nullable();
      t.integer('clock_remaining_days').nullable();
      t.tinyint('escalation_level').unsigned().notNullable().defaultTo(0);
      t.specificType('resolved_at', 'datetime(3)').nullable();
      t.integer('handling_days').nullable();
      t.boolean('on_time').nullable();
      t.string('outcome', 16).nullable(); // resolved | partially | not_now
      t.string('evaluation', 24).nullable(); // satisfied | basically_satisfied | dissatisfied
      t.string('evaluation_comment', 500).nullable();
      t.boolean('knows_outcome').nullable();
      t.boolean('accepts_outcome').nullable();
      t.boolean('new_problem').nullable();
      t.integer('reopened_count').unsigned().notNullable().defaultTo(0);
      t.specificType('closed_at', 'datetime(3)').nullable();
      t.index(['assignee_id', 'status'], 'union_grievances_assignee_idx');
      t.index(['filer_id', 'id'], 'union_grievances_filer_idx');
      t.index(['status', 'due_at'], 'union_grievances_due_idx');
      t.index(['category', 'department_id', 'received_on'], 'union_grievances_repeat_idx');
      t.index(['received_on'], 'union_grievances_received_idx');
    },
  ],
  [
    'union_grievance_history',
    (t) => {
      t.increments('id');
      t.integer('grievance_id').unsigned().notNullable();
      t.specificType('at', 'datetime(3)').notNullable();
      t.string('actor', 64).notNullable();
      t.string('action', 32).notNullable();
      t.string('from_status', 24).nullable();
      t.string('to_status', 24).notNullable();
      t.text('note').nullable();
      t.index(['grievance_id', 'id'], 'union_grievance_history_case_idx');
    },
  ],
  [
    'union_grievance_reads',
    (t) => {
      t.increments('id');
      t.integer('grievance_id').unsigned().notNullable();
      t.string('reader_id', 64).notNullable();
      t.string('relation', 16).notNullable(); // assignee | chair
      t.specificType('at', 'datetime(3)').notNullable();
      t.index(['grievance_id', 'id'], 'union_grievance_reads_case_idx');
    },
  ],
  [
    'union_grievance_rectifications',
    (t) => {
      t.increments('id');
      t.string('quarter', 7).notNullable(); // 2026-Q4
      t.string('category', 32).notNullable();
      t.string('department_id', 64).notNullable();
      t.integer('cases').unsigned().notNullable();
      t.string('owner_id', 64).nullable();
      t.date('next_checkpoint').nullable();
      t.specificType('listed_at', 'datetime(3)').notNullable();
      t.unique(['quarter', 'category', 'department_id'], 'union_grievance_rectifications_uq');
    },
  ],
]);
