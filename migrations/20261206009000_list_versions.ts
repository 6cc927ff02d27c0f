import { addTable } from './lib/helpers';

/**
 * A version per cached list, bumped in the writer's own transaction, so every instance on this database
 * can tell a cached page from before the last committed write without asking anything heavier. Each
 * list has several slots (writers pick one at random) so concurrent writers rarely wait on one row; the
 * version is the sum of the slots, which grows with every commit.
 */
export const { up, down } = addTable('union_list_versions', (t) => {
  t.string('name', 32).notNullable();
  t.tinyint('slot').unsigned().notNullable();
  t.bigInteger('version').unsigned().notNullable().defaultTo(0);
  t.primary(['name', 'slot']);
});
