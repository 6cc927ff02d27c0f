import { addTables } from './lib/helpers';

// The workers' congress (职代会): sessions, delegates, votes with secret ballots, the matters list and
// motions (提案). Secret ballots keep who voted and what was chosen in two tables with nothing to join
// them by: the voter row has no choice and no time, the tally is one counter per choice.
export const { up, down } = addTables([
  [
    'union_congress_sessions',
    (t) => {
      t.increments('id');
      t.string('title', 200).notNullable();
      t.string('term', 50).nullable(); // 届, e.g. 第五届
      t.integer('sitting').unsigned().nullable(); // 次
      t.date('starts_on').nullable();
      t.date('ends_on').nullable();
      t.text('agenda').nullable(); // JSON list of item titles
      t.date('motions_open_on').nullable();
      t.date('motions_close_on').nullable();
      // Composition rules the union sets for this session (percent of all delegates); null: no rule.
      t.tinyint('manager_max_pct').unsigned().nullable();
      t.tinyint('women_min_pct').unsigned().nullable();
      t.tinyint('front_line_min_pct').unsigned().nullable();
      t.text('minutes').nullable();
      t.string('created_by', 64).notNullable();
      t.specificType('created_at', 'datetime(3)').notNullable();
    },
  ],
  [
    'union_congress_delegates',
    (t) => {
      t.integer('session_id').unsigned().notNullable();
      t.string('employee_id', 64).notNullable();
      t.integer('org_id').unsigned().nullable(); // delegation group (代表团/组)
      t.string('category', 16).notNullable(); // manager | front_line | technical | other
      t.boolean('female').notNullable().defaultTo(false);
      t.integer('votes_received').unsigned().nullable(); // the election result staff entered
      t.date('elected_on').nullable();
      t.boolean('present').notNullable().defaultTo(false);
      t.primary(['session_id', 'employee_id']);
      t.index(['employee_id'], 'union_congress_delegates_emp_idx');
    },
  ],
  [
    'union_congress_votes',
    (t) => {
      t.increments('id');
      t.integer('session_id').unsigned().notNullable();
      t.string('subject', 300).notNullable();
      t.boolean('secret').notNullable().defaultTo(true);
      t.string('status', 8).notNullable(); // open | closed
      // Fixed when the vote opens: the majority is counted against all delegates, as they were then.
      t.integer('delegates_total').unsigned().notNullable();
      t.integer('present_at_open').unsigned().notNullable();
      t.integer('ballots').unsigned().notNullable().defaultTo(0);
      t.integer('for_count').unsigned().nullable();
      t.integer('against_count').unsigned().nullable();
      t.integer('abstain_count').unsigned().nullable();
      t.boolean('passed').nullable();
      t.string('opened_by', 64).notNullable();
      t.specificType('opened_at', 'datetime(3)').notNullable();
      t.specificType('closed_at', 'datetime(3)').nullable();
      t.index(['session_id'], 'union_congress_votes_session_idx');
    },
  ],
  [
    // Who has voted: one row per delegate per vote (the key makes a second ballot impossible).
    // `choice` is filled only for an open (roll-call) vote; in a secret vote it stays null.
    'union_congress_voters',
    (t) => {
      t.integer('vote_id').unsigned().notNullable();
      t.string('delegate_id', 64).notNullable();
      t.string('choice', 8).nullable();
      t.primary(['vote_id', 'delegate_id']);
    },
  ],
  [
    // The anonymous ballots: a counter per choice, raised in the voter row's transaction.
    'union_congress_tallies',
    (t) => {
      t.integer('vote_id').unsigned().notNullable();
      t.string('choice', 8).notNullable(); // for | against | abstain
      t.integer('count').unsigned().notNullable().defaultTo(0);
      t.primary(['vote_id', 'choice']);
    },
  ],
  [
    'union_congress_matters',
    (t) => {
      t.increments('id');
      t.integer('session_id').unsigned().nullable();
      t.string('kind', 12).notNullable(); // approve (审议通过) | negotiate (协商签订) | disclose (公开告知)
      t.string('topic', 16).notNullable(); // rules | pay | welfare | safety | other
      t.string('title', 200).notNullable();
      t.integer('vote_id').unsigned().nullable();
      t.string('created_by', 64).notNullable();
      t.specificType('created_at', 'datetime(3)').notNullable();
    },
  ],
  [
    'union_congress_matter_steps',
    (t) => {
      t.integer('matter_id').unsigned().notNullable();
      t.string('step', 16).notNullable(); // collect_views | explain | pre_review | prepare_vote
      t.date('due_on').nullable();
      t.date('done_on').nullable();
      t.primary(['matter_id', 'step']);
    },
  ],
  [
    'union_congress_motions',
    (t) => {
      t.increments('id');
      t.integer('session_id').unsigned().notNullable();
      t.string('proposer_id', 64).notNullable();
      t.boolean('withhold_name').notNullable().defaultTo(false);
      t.string('title', 200).notNullable();
      t.text('content').notNullable();
      // submitted | accepted | suggestion | assigned | answered | closed
      t.string('status', 16).notNullable();
      t.string('committee_reason', 500).nullable();
      t.string('lead_department_id', 64).nullable();
      t.string('answerer_id', 64).nullable();
      t.tinyint('answer_days').unsigned().nullable();
      t.text('answer').nullable();
      t.specificType('answered_at', 'datetime(3)').nullable();
      t.string('rating', 24).nullable(); // satisfied | basically_satisfied | dissatisfied
      t.tinyint('sent_back').unsigned().notNullable().defaultTo(0);
      t.specificType('due_at', 'datetime(3)').nullable();
      t.date('due_date').nullable();
      t.boolean('due_estimated').notNullable().defaultTo(false);
      t.specificType('clock_paused_at', 'datetime(3)').nullable();
      t.integer('clock_remaining_days').nullable();
      t.tinyint('escalation_level').unsigned().notNullable().defaultTo(0);
      t.specificType('submitted_at', 'datetime(3)').notNullable();
      t.index(['session_id', 'status'], 'union_congress_motions_session_idx');
      t.index(['status', 'due_at'], 'union_congress_motions_due_idx');
    },
  ],
  [
    'union_congress_motion_departments',
    (t) => {
      t.integer('motion_id').unsigned().notNullable();
      t.string('department_id', 64).notNullable();
      t.primary(['motion_id', 'department_id']);
    },
  ],
  [
    'union_congress_seconders',
    (t) => {
      t.integer('motion_id').unsigned().notNullable();
      t.string('delegate_id', 64).notNullable();
      t.specificType('at', 'datetime(3)').notNullable();
      t.primary(['motion_id', 'delegate_id']);
    },
  ],
  [
    'union_congress_motion_history',
    (t) => {
      t.bigIncrements('id');
      t.integer('motion_id').unsigned().notNullable();
      t.specificType('at', 'datetime(3)').notNullable();
      t.string('actor', 64).notNullable();
      t.string('action', 32).notNullable();
      t.string('from_status', 16).nullable();
      t.string('to_status', 16).nullable();
      t.text('note').nullable();
      t.index(['motion_id'], 'union_congress_motion_history_idx');
    },
  ],
]);
