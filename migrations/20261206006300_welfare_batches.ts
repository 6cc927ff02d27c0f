import { addTable } from './lib/helpers';

// A bulk payment of a whole entitled list (tens of thousands of people) is recorded in chunks; this row
// says how far it got, for the page's progress bar and for anyone asking afterwards.
export const { up, down } = addTable('union_welfare_batches', (t) => {
  t.string('id', 36).primary(); // the batch id the payments carry
  t.integer('plan_id').unsigned().notNullable();
  t.string('period', 7).notNullable();
  t.string('kind', 8).notNullable(); // all | import
  t.integer('total').unsigned().notNullable();
  t.integer('processed').unsigned().notNullable();
  t.string('status', 8).notNullable(); // running | done | failed
  t.string('error', 500).nullable();
  t.string('started_by', 128).notNullable();
  t.specificType('started_at', 'datetime(3)').notNullable();
  t.specificType('updated_at', 'datetime(3)').notNullable();
});
