import { addTables } from './lib/helpers';

// Settings edited in the module, the audit trail, and the leases that keep each job to one instance.
export const { up, down } = addTables([
  [
    'union_settings',
    (t) => {
      t.string('key', 100).primary();
      t.text('value').notNullable();
      t.string('updated_by', 64);
      t.specificType('updated_at', 'datetime(3)').notNullable();
    },
  ],
  [
    'union_audit',
    (t) => {
      t.bigIncrements('id');
      t.specificType('at', 'datetime(3)').notNullable();
      t.string('actor', 128).notNullable();
      t.string('actor_kind', 16).notNullable();
      t.string('action', 64).notNullable();
      t.string('entity', 32).notNullable();
      t.string('entity_id', 64).notNullable();
      t.text('before');
      t.text('after');
      t.index(['entity', 'entity_id'], 'union_audit_entity_idx');
      t.index(['at'], 'union_audit_at_idx');
    },
  ],
  [
    'union_job_leases',
    (t) => {
      t.string('job', 64).primary();
      t.string('holder', 128).notNullable();
      t.specificType('acquired_at', 'datetime(3)').notNullable();
      t.specificType('expires_at', 'datetime(3)').notNullable();
    },
  ],
]);
