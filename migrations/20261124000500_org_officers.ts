import { addTable } from './lib/helpers';

// Who serves which union org as staff or chair (工会干事 / 主席 of a 分会): what a staff member may see.
export const { up, down } = addTable('union_org_officers', (t) => {
  t.integer('org_id').unsigned().notNullable().references('id').inTable('union_orgs');
  t.string('employee_id', 64).notNullable();
  t.string('role', 16).notNullable(); // staff | chair
  t.string('assigned_by', 128).notNullable();
  t.specificType('assigned_at', 'datetime(3)').notNullable();
  t.primary(['org_id', 'employee_id']);
  t.index(['employee_id'], 'union_org_officers_employee_idx');
});
