import { addTable } from './lib/helpers';

// Management reports the chair generated: one row per run, its progress while it runs, then the PDF and
// the xlsx kept for download (in the database, so every instance can serve them).
export const { up, down } = addTable('union_desk_reports', (t) => {
  t.increments('id');
  t.string('period', 8).notNullable(); // 2026-11 | 2026-Q4 | 2026
  t.string('scope_key', 255).notNullable(); // 'all' or the org ids the requester served
  t.string('status', 16).notNullable(); // running | done | failed
  t.tinyint('progress').unsigned().notNullable().defaultTo(0); // percent
  t.string('step', 32).nullable();
  t.string('requested_by', 64).notNullable();
  t.specificType('requested_at', 'datetime(3)').notNullable();
  t.specificType('finished_at', 'datetime(3)').nullable();
  t.date('as_of').nullable();
  t.specificType('pdf', 'longblob').nullable();
  t.specificType('xlsx', 'longblob').nullable();
  t.string('error', 200).nullable();
  t.index(['period', 'scope_key', 'status', 'id'], 'union_desk_reports_period_idx');
});
