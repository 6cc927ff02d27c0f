import { addTables } from './lib/helpers';

// Legacy ledger imports (手工台账导入): one row per upload with its state and progress, so any
// instance can report it, and the upload's rows with the class the dry run (or the commit) gave them.
export const { up, down } = addTables([
  [
    'union_imports',
    (t) => {
      t.increments('id');
      t.string('filename', 255).notNullable();
      t.string('format', 8).notNullable(); // xlsx | csv
      t.string('phase', 16).notNullable(); // dry_run | commit
      t.string('status', 16).notNullable(); // queued | running | done | failed
      t.integer('total').unsigned().notNullable().defaultTo(0);
      t.integer('processed').unsigned().notNullable().defaultTo(0);
      t.text('counts').nullable(); // JSON: rows per class
      t.text('result').nullable(); // JSON: what the commit did
      t.text('meta').nullable(); // JSON: header row, matched columns, encoding, sheet
      t.string('error', 500).nullable();
      t.string('worker', 128).nullable(); // the instance running the current phase
      t.string('created_by', 128).notNullable();
      t.specificType('created_at', 'datetime(3)').notNullable();
      // Doubles as the heartbeat: every progress report sets it, so a run whose instance died shows as stalled.
      t.specificType('updated_at', 'datetime(3)').notNullable();
      t.string('committed_by', 128).nullable();
      t.specificType('committed_at', 'datetime(3)').nullable();
    },
  ],
  [
    'union_import_rows',
    (t) => {
      t.bigIncrements('id');
      t.integer('import_id').unsigned().notNullable().references('id').inTable('union_imports');
      t.integer('line').unsigned().notNullable(); // row number in the sheet
      t.string('seq', 32).nullable(); // 序号 as written
      t.string('name', 64).notNullable();
      t.string('employee_no', 64).notNullable(); // as the ledger has it, normalised
      t.string('department', 100).notNullable();
      t.string('member_no', 64).notNullable();
      t.date('joined_at').nullable();
      t.string('class', 16).notNullable(); // matched | exited | already | duplicate | conflict | unmatched | invalid
      t.text('reason').nullable(); // JSON: { code, column, value, row }
      t.string('employee_id', 64).nullable();
      t.string('matched_no', 64).nullable(); // the employee number in the host
      t.string('matched_name', 64).nullable();
      t.string('department_id', 64).nullable();
      t.date('exit_date').nullable();
      t.boolean('retired').notNullable().defaultTo(false);
      t.text('raw').notNullable(); // JSON: the row's cells, for the rejects file
      t.unique(['import_id', 'line'], { indexName: 'union_import_rows_line_uq' });
      t.index(['import_id', 'class', 'line'], 'union_import_rows_class_idx');
    },
  ],
]);
