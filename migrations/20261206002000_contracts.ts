import { addTables } from './lib/helpers';

// Collective contracts (集体合同) and special contracts with their verifiable clauses, the quarterly
// compliance checks (one item per clause), evidence files kept in the database, and shortfall cases
// (when the company falls short) with their history.
export const { up, down } = addTables([
  [
    'union_contracts',
    (t) => {
      t.increments('id');
      t.string('kind', 16).notNullable(); // collective | wages | women | safety
      t.string('title', 200).notNullable();
      t.date('starts_on').notNullable();
      t.date('ends_on').notNullable();
      t.date('signed_on').notNullable();
      t.date('filed_on').nullable();
      // The labour bureau's review period after filing (days); the contract takes effect when it passes without objection.
      t.tinyint('review_days').unsigned().notNullable().defaultTo(15);
      t.date('review_ends_on').nullable();
      t.specificType('renewal_noticed_at', 'datetime(3)').nullable();
      t.string('created_by', 64).notNullable();
      t.specificType('created_at', 'datetime(3)').notNullable();
      t.index(['ends_on'], 'union_contracts_ends_idx');
    },
  ],
  [
    'union_contract_clauses',
    (t) => {
      t.increments('id');
      t.integer('contract_id').unsigned().notNullable();
      t.smallint('seq').unsigned().notNullable();
      t.string('kind', 24).notNullable(); // wage_increase | piece_rate | overtime | paid_leave | women_barred_jobs | heat_allowance | other
      t.string('text', 1000).notNullable();
      t.string('target', 200).nullable();
      t.string('data_required', 500).notNullable();
      // Working days after a quarter's check opens by which the company must deliver the data.
      t.tinyint('data_due_days').unsigned().notNullable();
      t.unique(['contract_id', 'seq'], 'union_contract_clauses_seq_uq');
    },
  ],
  [
    'union_contract_checks',
    (t) => {
      t.increments('id');
      t.integer('contract_id').unsigned().notNullable();
      t.string('quarter', 7).notNullable(); // 2026-Q4
      t.date('opened_on').notNullable();
      t.string('opened_by', 64).notNullable();
      t.unique(['contract_id', 'quarter'], 'union_contract_checks_uq');
    },
  ],
  [
    'union_contract_check_items',
    (t) => {
      t.increments('id');
      t.integer('check_id').unsigned().notNullable();
      t.integer('contract_id').unsigned().notNullable();
      t.integer('clause_id').unsigned().notNullable();
      t.date('data_due_date').notNullable();
      t.boolean('data_due_estimated').notNullable().defaultTo(false);
      t.date('data_received_on').nullable();
      // Set once by the job when the data was not delivered by its due date.
      t.specificType('data_overdue_at', 'datetime(3)').nullable();
      t.string('result', 16).nullable(); // met | not_met | data_missing
      t.string('note', 1000).nullable();
      t.string('recorded_by', 64).nullable();
      t.specificType('recorded_at', 'datetime(3)').nullable();
      t.unique(['check_id', 'clause_id'], 'union_contract_check_items_uq');
      t.index(['clause_id', 'check_id'], 'union_contract_check_items_clause_idx');
      t.index(['data_received_on', 'data_due_date'], 'union_contract_check_items_due_idx');
    },
  ],
  [
    'union_shortfalls',
    (t) => {
      t.increments('id');
      t.string('kind', 24).notNullable(); // unpaid_wages | social_insurance | excess_overtime | missing_protection
      t.string('summary', 2000).notNullable();
      t.integer('contract_id').unsigned().nullable();
      t.integer('clause_id').unsigned().nullable();
      t.string('status', 24).notNullable(); // evidence | prompted | consulting | letter_sent | checking | rectified | handed_over
      t.specificType('due_at', 'datetime(3)').nullable();
      t.date('due_date').nullable();
      t.boolean('due_estimated').notNullable().defaultTo(false);
      t.specificType('clock_paused_at', 'datetime(3)').nullable();
      t.integer('clock_remaining_days').nullable();
      // The day each step took place, as staff record it.
      t.date('opened_on').notNullable();
      t.date('prompted_on').nullable();
      t.date('consulted_on').nullable();
      t.date('letter_on').nullable();
      t.date('checked_on').nullable();
      t.date('closed_on').nullable();
      t.string('handed_to', 24).nullable(); // higher_union | labour_authority
      // The deadline staff were last told had passed: each step's deadline is chased once.
      t.specificType('chased_due_at', 'datetime(3)').nullable();
      t.string('opened_by', 64).notNullable();
      t.specificType('opened_at', 'datetime(3)').notNullable();
      t.index(['status', 'due_at'], 'union_shortfalls_status_idx');
    },
  ],
  [
    'union_shortfall_history',
    (t) => {
      t.increments('id');
      t.integer('shortfall_id').unsigned().notNullable();
      t.specificType('at', 'datetime(3)').notNullable();
      t.string('actor', 64).notNullable();
      t.string('action', 32).notNullable();
      t.string('from_status', 24).nullable();
      t.string('to_status', 24).notNullable();
      t.text('note').nullable();
      t.index(['shortfall_id', 'id'], 'union_shortfall_history_case_idx');
    },
  ],
  [
    // Evidence of a check item or a shortfall case: outside any public folder, the same for every instance.
    'union_contract_files',
    (t) => {
      t.increments('id');
      t.string('owner_kind', 16).notNullable(); // item | shortfall
      t.integer('owner_id').unsigned().notNullable();
      t.string('name', 200).notNullable();
      t.string('mime', 32).notNullable();
      t.integer('size').unsigned().notNullable();
      t.string('sha256', 64).notNullable();
      t.specificType('content', 'longblob').notNullable();
      t.string('uploaded_by', 64).notNullable();
      t.specificType('uploaded_at', 'datetime(3)').notNullable();
      t.index(['owner_kind', 'owner_id', 'id'], 'union_contract_files_owner_idx');
    },
  ],
]);
