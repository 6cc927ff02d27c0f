import { addTables } from './lib/helpers';

// Host events as received (for idempotence and ordering) and the reports of reconciliation runs.
export const { up, down } = addTables([
  [
    'union_events',
    (t) => {
      t.string('id', 128).primary();
      t.string('type', 32).notNullable();
      t.string('employee_id', 64).notNullable();
      t.specificType('occurred_at', 'datetime(3)').notNullable();
      t.specificType('received_at', 'datetime(3)').notNullable();
      t.string('via', 16).notNullable(); // inproc | webhook
      t.string('outcome', 16).notNullable(); // applied | stale | noop
      t.text('payload').notNullable();
      t.index(['employee_id', 'occurred_at'], 'union_events_employee_idx');
    },
  ],
  [
    'union_reconcile_runs',
    (t) => {
      t.increments('id');
      t.string('trigger', 16).notNullable(); // schedule | button | bench | test
      t.string('actor', 128).notNullable();
      t.string('status', 16).notNullable(); // running | done | failed
      t.specificType('started_at', 'datetime(3)').notNullable();
      t.specificType('finished_at', 'datetime(3)').nullable();
      t.integer('scanned').unsigned().notNullable().defaultTo(0);
      t.text('counts').nullable();
      t.text('error').nullable();
    },
  ],
  [
    'union_reconcile_changes',
    (t) => {
      t.bigIncrements('id');
      t.integer('run_id').unsigned().notNullable().references('id').inTable('union_reconcile_runs');
      t.string('employee_id', 64).notNullable();
      t.string('change', 32).notNullable();
      t.string('detail', 255).nullable();
      t.index(['run_id', 'id'], 'union_reconcile_changes_run_idx');
    },
  ],
]);
