/**
 * The reference host's own tables. All are prefixed host_ so they never collide with the module's
 * union_ tables in the shared database. Creation is idempotent (hasTable), so startup can always call it.
 */
import type { Knex } from 'knex';

/** In creation order; dropped in reverse because host_employees references host_departments. */
export const HOST_TABLES = [
  'host_departments',
  'host_employees',
  'host_user_roles',
  'host_plugins',
  'host_notifications',
  'host_sequences',
] as const;

/** The series host-issued employee ids (E + 6 digits) are taken from. */
export const EMPLOYEE_ID_SEQUENCE = 'employee_id';

const tables: Record<(typeof HOST_TABLES)[number], (t: Knex.CreateTableBuilder) => void> = {
  host_departments(t) {
    t.string('id', 64).primary();
    // Unique so that CSV imports and forms can name a department unambiguously.
    t.string('name', 100).notNullable().unique();
    t.string('parent_id', 64).nullable();
  },
  host_employees(t) {
    t.string('id', 64).primary();
    t.string('employee_no', 32).notNullable().unique();
    t.string('name', 64).notNullable();
    t.string('department_id', 64).notNullable().references('id').inTable('host_departments');
    t.specificType('gender', 'char(1)').notNullable();
    t.date('birth_date').notNullable();
    t.date('hire_date').notNullable();
    t.date('exit_date').nullable();
    t.string('exit_reason', 64).nullable();
    t.string('status', 16).notNullable().defaultTo('employed');
    t.string('position', 64).nullable();
    t.boolean('shift_worker').notNullable().defaultTo(false);
    t.boolean('expatriate').notNullable().defaultTo(false);
    t.string('phone', 32).nullable();
    t.string('email', 128).nullable();
    t.string('id_number', 32).nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['department_id']);
    t.index(['status']);
    // Reconciliation asks "changed since"; an incremental run touches few rows.
    t.index(['updated_at']);
  },
  host_user_roles(t) {
    // Host roles beyond the implicit `employee` (admin, union_staff, union_chair); read at sign-in.
    t.string('user_id', 64).notNullable();
    t.string('role', 32).notNullable();
    t.primary(['user_id', 'role']);
  },
  host_plugins(t) {
    t.string('id', 64).primary();
    t.boolean('enabled').notNullable().defaultTo(false);
    t.boolean('installed').notNullable().defaultTo(false);
    t.text('settings').nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  },
  host_notifications(t) {
    t.increments('id').primary();
    t.string('to_id', 64).notNullable();
    t.string('template', 128).notNullable();
    t.text('data').nullable();
    t.string('channels', 128).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    // The inbox lists one person's newest first.
    t.index(['to_id', 'id']);
  },
  host_sequences(t) {
    // The last number issued per series; hires lock its row, so concurrent hires take numbers in turn.
    t.string('name', 32).primary();
    t.integer('value').unsigned().notNullable().defaultTo(0);
  },
};

export async function createHostSchema(db: Knex): Promise<void> {
  for (const name of HOST_TABLES) {
    if (await db.schema.hasTable(name)) continue;
    try {
      await db.schema.createTable(name, tables[name]);
    } catch (err) {
      // Several host instances may start at once; losing the race to create a table is fine.
      if (!(await db.schema.hasTable(name))) throw err;
    }
  }
  await db('host_sequences').insert({ name: EMPLOYEE_ID_SEQUENCE, value: 0 }).onConflict('name').ignore();
}

/** For tests and resets; never touches union_ tables. */
export async function dropHostSchema(db: Knex): Promise<void> {
  for (const name of [...HOST_TABLES].reverse()) await db.schema.dropTableIfExists(name);
}
