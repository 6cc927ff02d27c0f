import { addTable } from './lib/helpers';

// Per-occurrence welfare (marriage, childbirth, hospitalisation, bereavement, retirement): the occurrence
// that entitles a person, recorded by staff or taken from HR data. Only the kind and the date: never a
// diagnosis, a relative's name or any other detail of what happened.
export const { up, down } = addTable('union_welfare_occurrences', (t) => {
  t.bigIncrements('id');
  t.string('employee_id', 64).notNullable();
  t.string('kind', 16).notNullable(); // marriage | childbirth | hospitalisation | bereavement | retirement
  t.date('occurred_on').notNullable();
  t.string('source', 8).notNullable(); // staff | hr
  t.string('recorded_by', 128).notNullable();
  t.specificType('recorded_at', 'datetime(3)').notNullable();
  // The same occurrence twice (a webhook and the nightly refresh, or two clerks) is one row.
  t.unique(['employee_id', 'kind', 'occurred_on'], { indexName: 'union_welfare_occurrences_uq' });
  // A per-occurrence plan's entitled list: one kind, one month.
  t.index(['kind', 'occurred_on', 'employee_id'], 'union_welfare_occurrences_kind_idx');
});
