import { addTables } from './lib/helpers';

// Union orgs, the employment facts the module follows, memberships with history, and member numbers.
export const { up, down } = addTables([
  [
    'union_orgs',
    (t) => {
      t.increments('id');
      t.integer('parent_id').unsigned().nullable().references('id').inTable('union_orgs');
      t.string('name', 100).notNullable();
      t.string('level', 16).notNullable(); // primary | branch | group
      t.specificType('created_at', 'datetime(3)').notNullable();
      t.index(['parent_id'], 'union_orgs_parent_idx');
    },
  ],
  [
    'union_org_departments',
    (t) => {
      t.string('department_id', 64).primary();
      t.integer('org_id').unsigned().notNullable().references('id').inTable('union_orgs');
    },
  ],
  // Only what the rules need (ids and dates); names and contacts stay in the host and are read when shown.
  [
    'union_employees',
    (t) => {
      t.string('employee_id', 64).primary();
      t.string('department_id', 64).notNullable();
      t.string('status', 16).notNullable(); // employed | exited | retired, as of the facts below
      t.date('hire_date').nullable();
      t.date('exit_date').nullable();
      t.boolean('retired').notNullable().defaultTo(false);
      // Whether the on-hire policy has been applied for the current hire date (a future hire waits for its day).
      t.boolean('hire_applied').notNullable().defaultTo(false);
      t.specificType('fact_at', 'datetime(3)').notNullable(); // when the newest fact applied here happened
      t.specificType('dept_at', 'datetime(3)').notNullable(); // when the current department became true
      t.integer('version').unsigned().notNullable().defaultTo(1);
      t.index(['status', 'department_id'], 'union_employees_status_dept_idx');
      t.index(['department_id'], 'union_employees_dept_idx');
    },
  ],
  [
    'union_memberships',
    (t) => {
      t.increments('id');
      t.string('employee_id', 64).notNullable().unique('union_memberships_employee_uq');
      t.string('member_no', 32).nullable().unique('union_memberships_member_no_uq');
      t.string('status', 16).notNullable(); // pending | active | retained | expired | withdrawn
      t.integer('org_id').unsigned().nullable().references('id').inTable('union_orgs');
      t.date('joined_at').nullable();
      t.date('expired_at').nullable();
      t.string('status_reason', 200).nullable();
      t.specificType('consent_at', 'datetime(3)').nullable();
      t.string('consent_method', 32).nullable(); // application | invitation | policy | import | staff
      t.string('override_status', 16).nullable();
      t.date('override_until').nullable();
      t.integer('version').unsigned().notNullable().defaultTo(1);
      t.specificType('created_at', 'datetime(3)').notNullable();
      t.specificType('updated_at', 'datetime(3)').notNullable();
      t.index(['status', 'id'], 'union_memberships_status_idx');
      t.index(['org_id', 'status'], 'union_memberships_org_idx');
      t.index(['joined_at'], 'union_memberships_joined_idx');
    },
  ],
  [
    'union_membership_history',
    (t) => {
      t.bigIncrements('id');
      t.integer('membership_id').unsigned().notNullable().references('id').inTable('union_memberships');
      t.string('employee_id', 64).notNullable();
      t.string('from_status', 16).nullable();
      t.string('to_status', 16).notNullable();
      t.integer('from_org_id').unsigned().nullable();
      t.integer('to_org_id').unsigned().nullable();
      t.string('member_no', 32).nullable();
      t.date('effective_date').nullable();
      t.string('reason', 200).nullable();
      t.string('source', 16).notNullable(); // event | reconcile | schedule | staff | employee | import
      t.string('actor', 128).notNullable();
      t.specificType('at', 'datetime(3)').notNullable();
      t.index(['membership_id', 'id'], 'union_membership_history_m_idx');
    },
  ],
  [
    'union_member_no_sequences',
    (t) => {
      t.string('prefix', 32).primary();
      t.integer('last_value').unsigned().notNullable();
    },
  ],
]);
