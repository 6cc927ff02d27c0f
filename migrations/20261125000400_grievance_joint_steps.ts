import { addTable } from './lib/helpers';

// Joint handling sheets (会办单): the departments a cross-department case goes through, in order, each
// with its own handling staff, deadline, the evidence asked of it and its answer.
export const { up, down } = addTable('union_grievance_joint_steps', (t) => {
  t.increments('id');
  t.integer('grievance_id').unsigned().notNullable();
  t.integer('seq').unsigned().notNullable();
  t.string('department_id', 64).notNullable();
  t.string('staff_id', 64).notNullable();
  t.tinyint('days').unsigned().notNullable();
  t.string('asked', 500).nullable();
  t.date('due_date').nullable(); // set when the step's turn comes
  t.specificType('due_at', 'datetime(3)').nullable();
  t.text('answer').nullable();
  t.specificType('answered_at', 'datetime(3)').nullable();
  t.unique(['grievance_id', 'seq'], 'union_grievance_joint_steps_seq_uq');
  t.index(['staff_id', 'answered_at'], 'union_grievance_joint_steps_staff_idx');
});
