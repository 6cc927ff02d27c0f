import { addTable } from './lib/helpers';

// Posters are kept in the database, not in any public folder: every instance serves them, and only
// to those who may see the activity. Bytes are re-encoded on upload (no metadata survives).
export const { up, down } = addTable('union_activity_posters', (t) => {
  t.integer('activity_id').unsigned().primary().references('id').inTable('union_activities');
  t.string('mime', 32).notNullable();
  t.specificType('bytes', 'mediumblob').notNullable();
  t.integer('width').unsigned().notNullable();
  t.integer('height').unsigned().notNullable();
  t.string('uploaded_by', 64).notNullable();
  t.specificType('uploaded_at', 'datetime(3)').notNullable();
});
