import { addTable } from './lib/helpers';

// The desk's key figures as last computed, per scope, permission set, period and area: at full size some
// figures take seconds (a year of attendance per person), so the desk serves them from here for a while
// and a job keeps the common views warm. The JSON holds the area's figures exactly as it returned them.
export const { up, down } = addTable('union_desk_figures', (t) => {
  t.string('scope_key', 255).notNullable();
  t.string('perm_key', 16).notNullable();
  t.string('period', 8).notNullable();
  t.string('area', 32).notNullable();
  t.text('kpis', 'mediumtext').notNullable();
  t.specificType('computed_at', 'datetime(3)').notNullable();
  t.primary(['scope_key', 'perm_key', 'period', 'area']);
});
