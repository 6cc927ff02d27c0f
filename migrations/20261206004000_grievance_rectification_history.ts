import { addTable } from './lib/helpers';

// Who owned a quarterly rectification item (季度整改清单) and when that changed: each assignment or change
// of owner (and of the next checkpoint) leaves a row, so the chair can see who was answerable when.
export const { up, down } = addTable('union_grievance_rectification_history', (t) => {
  t.increments('id');
  t.integer('rectification_id').unsigned().notNullable();
  t.specificType('at', 'datetime(3)').notNullable();
  t.string('actor', 64).notNullable();
  t.string('from_owner', 64).nullable();
  t.string('to_owner', 64).notNullable();
  t.date('next_checkpoint').nullable();
  t.string('note', 500).nullable();
  t.index(['rectification_id', 'id'], 'union_grievance_rectification_history_idx');
});
