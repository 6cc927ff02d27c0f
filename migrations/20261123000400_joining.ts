import { addTables } from './lib/helpers';

// Join applications with recorded consent, and batch invitations with their reminders.
export const { up, down } = addTables([
  [
    'union_join_applications',
    (t) => {
      t.increments('id');
      t.string('employee_id', 64).notNullable();
      t.string('status', 16).notNullable(); // submitted | approved | rejected | withdrawn
      t.specificType('consent_at', 'datetime(3)').notNullable();
      t.string('consent_text_version', 16).notNullable();
      t.string('note', 500).nullable();
      t.specificType('submitted_at', 'datetime(3)').notNullable();
      t.specificType('decided_at', 'datetime(3)').nullable();
      t.string('decided_by', 64).nullable();
      t.string('decision_reason', 500).nullable();
      // At most one open application per person: the column is set only while submitted.
      t.string('open_key', 64).nullable().unique('union_join_applications_open_uq');
      t.index(['status', 'id'], 'union_join_applications_status_idx');
      t.index(['employee_id'], 'union_join_applications_employee_idx');
    },
  ],
  [
    'union_invitations',
    (t) => {
      t.increments('id');
      t.string('employee_id', 64).notNullable().unique('union_invitations_employee_uq');
      t.string('status', 16).notNullable(); // sent | joined | cancelled
      t.string('invited_by', 128).notNullable();
      t.specificType('sent_at', 'datetime(3)').notNullable();
      t.specificType('last_reminded_at', 'datetime(3)').nullable();
      t.integer('reminders').unsigned().notNullable().defaultTo(0);
      t.specificType('joined_at', 'datetime(3)').nullable();
      t.index(['status', 'id'], 'union_invitations_status_idx');
    },
  ],
]);
