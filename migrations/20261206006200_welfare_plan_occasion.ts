import { addColumn } from './lib/helpers';

// A per-occurrence plan names the occasion it pays for; other cycles leave it empty.
export const { up, down } = addColumn('union_welfare_plans', 'occasion', (t) => {
  t.string('occasion', 16).nullable();
});
