import { addTables } from './lib/helpers';

// Activities (活动), their options (报名项目) and registrations (报名). The taken counters on the
// activity and option rows are what a registration locks and checks, so capacity holds under any concurrency.
export const { up, down } = addTables([
  [
    'union_activities',
    (t) => {
      t.increments('id');
      t.string('title', 200).notNullable();
      t.string('type', 32).notNullable();
      t.text('description').nullable(); // sanitised HTML
      t.string('location', 200).notNullable();
      t.specificType('start_at', 'datetime(3)').notNullable();
      t.specificType('end_at', 'datetime(3)').notNullable();
      t.specificType('registration_deadline', 'datetime(3)').notNullable();
      t.integer('capacity').unsigned().nullable(); // null: no limit
      t.integer('option_limit').unsigned().nullable(); // options one person may choose; null: no limit
      t.string('audience_kind', 16).notNullable(); // members | orgs | departments | employed
      t.text('audience_ids').nullable(); // JSON array of org or department ids
      t.string('status', 16).notNullable(); // draft | published | cancelled | finished
      // Places held (registered + offered) and the last waitlist ticket, changed only under this row's lock.
      t.integer('taken').unsigned().notNullable().defaultTo(0);
      t.integer('waitlist_seq').unsigned().notNullable().defaultTo(0);
      t.string('created_by', 64).notNullable();
      t.specificType('created_at', 'datetime(3)').notNullable();
      t.specificType('updated_at', 'datetime(3)').notNullable();
      t.specificType('published_at', 'datetime(3)').nullable();
      t.specificType('cancelled_at', 'datetime(3)').nullable();
      t.index(['status', 'start_at'], 'union_activities_status_start_idx');
    },
  ],
  [
    'union_activity_options',
    (t) => {
      t.increments('id');
      t.integer('activity_id').unsigned().notNullable().references('id').inTable('union_activities');
      t.string('name', 100).notNullable();
      t.integer('capacity').unsigned().nullable();
      t.integer('taken').unsigned().notNullable().defaultTo(0);
      t.integer('sort').unsigned().notNullable().defaultTo(0);
      t.index(['activity_id', 'sort'], 'union_activity_options_activity_idx');
    },
  ],
  [
    'union_activity_registrations',
    (t) => {
      t.increments('id');
      t.integer('activity_id').unsigned().notNullable().references('id').inTable('union_activities');
      t.string('employee_id', 64).notNullable();
      t.string('status', 16).notNullable(); // registered | waitlisted | offered | cancelled
      t.string('option_ids', 500).notNullable().defaultTo('[]'); // JSON array of option ids
      t.integer('waitlist_seq').unsigned().nullable(); // arrival order on the waitlist
      t.specificType('created_at', 'datetime(3)').notNullable();
      t.specificType('registered_at', 'datetime(3)').nullable();
      t.specificType('offer_expires_at', 'datetime(3)').nullable();
      t.specificType('cancelled_at', 'datetime(3)').nullable();
      t.string('cancel_reason', 32).nullable(); // self | exited | offer_expired | activity_cancelled | staff
      t.specificType('checked_in_at', 'datetime(3)').nullable();
      t.string('checkin_method', 16).nullable(); // roster | venue | personal
      t.string('checked_in_by', 64).nullable();
      t.specificType('reminded_at', 'datetime(3)').nullable();
      t.string('reminder_run', 40).nullable(); // which reminder run claimed the row
      t.integer('score').unsigned().nullable();
      t.string('suggestion', 1000).nullable();
      t.specificType('feedback_at', 'datetime(3)').nullable();
      t.unique(['activity_id', 'employee_id'], { indexName: 'union_activity_registrations_person_uq' });
      t.index(['activity_id', 'status', 'waitlist_seq'], 'union_activity_registrations_queue_idx');
      t.index(['employee_id', 'status'], 'union_activity_registrations_employee_idx');
      t.index(['reminder_run'], 'union_activity_registrations_reminder_idx');
    },
  ],
]);
