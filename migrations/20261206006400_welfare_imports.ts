import { addTables } from './lib/helpers';

// Finance's payment list, imported in two steps: the dry run stores how each row was classed (matched,
// unmatched, duplicate, not entitled, invalid) so staff can read it; the commit records the matched rows.
export const { up, down } = addTables([
  [
    'union_welfare_imports',
    (t) => {
      t.increments('id');
      t.integer('plan_id').unsigned().notNullable().references('id').inTable('union_welfare_plans');
      t.string('period', 7).notNullable();
      t.string('filename', 255).notNullable();
      t.string('status', 12).notNullable(); // dry_run | committed
      t.text('counts').notNullable(); // JSON: rows per class
      t.string('created_by', 128).notNullable();
      t.specificType('created_at', 'datetime(3)').notNullable();
      t.string('committed_by', 128).nullable();
      t.specificType('committed_at', 'datetime(3)').nullable();
    },
  ],
  [
    'union_welfare_import_rows',
    (t) => {
      t.bigIncrements('id');
      t.integer('import_id').unsigned().notNullable().references('id').inTable('union_welfare_imports');
      t.integer('line').unsigned().notNullable();
      t.string('class', 12).notNullable(); // matched | unmatched | duplicate | not_entitled | invalid
      t.string('employee_id', 64).nullable();
      t.string('reason', 500).nullable(); // JSON: code, column, value, row
      t.index(['import_id', 'class', 'line'], 'union_welfare_import_rows_idx');
    },
  ],
]);
