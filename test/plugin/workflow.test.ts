import { expect } from 'chai';
import { inTransaction } from '../../plugin/lib/db';
import { transition, allowedActions, type WorkflowRow, type WorkflowSpec } from '../../plugin/services/workflow';
import { makeWorld, type World } from '../helpers/harness';

interface Item extends WorkflowRow {
  owner: string;
  note: string | null;
}

/** A toy record kind with the deadline columns the helper expects: opened → working ⇄ waiting → done. */
const spec: WorkflowSpec<Item> = {
  entity: 'wf_item',
  table: 'union_wf_items',
  historyTable: 'union_wf_history',
  historyKey: 'item_id',
  hideFromUnrelated: true,
  relations: (row, mover) => new Set([...(row.owner === mover.id ? ['owner'] : []), ...(mover.grants?.has('boss') ? ['boss'] : [])]),
  transitions: [
    {
      action: 'start',
      from: ['opened'],
      to: 'working',
      who: ['owner', 'boss'],
      requires: (input: { days?: number }) => (input.days === undefined ? { path: 'days', message: 'is required' } : null),
      deadline: { kind: 'set', plan: (_row, input: { days: number }, clock) => ({ base: clock.today, days: input.days }) },
    },
    {
      action: 'wait',
      from: ['working'],
      to: 'waiting',
      who: ['owner'],
      deadline: { kind: 'pause' },
      note: (i: { note?: string }) => i.note,
    },
    { action: 'resume', from: ['waiting'], to: 'working', who: ['owner'], deadline: { kind: 'resume' } },
    { action: 'finish', from: ['working'], to: 'done', who: ['boss'], write: (_r, i: { note: string }) => ({ note: i.note }) },
  ],
};

describe('the workflow helper: one writer for records that move through states', () => {
  let w: World;
  beforeEach(async () => {
    w = await makeWorld({ employees: 5, now: new Date('2025-09-30T02:00:00Z') });
    await w.db.schema.createTable('union_wf_items', (t) => {
      t.increments('id');
      t.string('status', 24).notNullable();
      t.string('owner', 64).notNullable();
      t.string('note', 200).nullable();
      t.specificType('due_at', 'datetime(3)').nullable();
      t.date('due_date').nullable();
      t.boolean('due_estimated').notNullable().defaultTo(false);
      t.specificType('clock_paused_at', 'datetime(3)').nullable();
      t.integer('clock_remaining_days').nullable();
    });
    await w.db.schema.createTable('union_wf_history', (t) => {
      t.increments('id');
      t.integer('item_id').notNullable();
      t.specificType('at', 'datetime(3)').notNullable();
      t.string('actor', 64).notNullable();
      t.string('action', 32).notNullable();
      t.string('from_status', 24).nullable();
      t.string('to_status', 24).notNullable();
      t.text('note').nullable();
    });
  });
  afterEach(async () => w.close());

  const owner = { id: 'u1', kind: 'user' as const };
  const boss = { id: 'b1', kind: 'user' as const, grants: new Set(['boss']) };
  const stranger = { id: 'x', kind: 'user' as const };
  const move = (id: number, action: string, mover: typeof owner, input: object = {}) =>
    inTransaction(w.db, (trx) => transition(w.plugin.ctx, trx, spec, id, action, mover, input));
  const item = async () => (await w.db('union_wf_items').insert({ status: 'opened', owner: 'u1' }))[0];
  const at = (iso: string) => w.clock.setSystemTime(new Date(iso));
  const err = async (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('should have thrown'),
      (e) => e,
    );

  it('a legal move updates the row and writes one history row and one audit row', async () => {
    const id = await item();
    const moved = await move(id, 'start', owner, { days: 3 });
    expect(moved).to.include({ from: 'opened', to: 'working' });
    const row = await w.db('union_wf_items').where({ id }).first();
    expect(row.status).to.equal('working');
    // 2025-09-30 + 3 working days across National Day lands on the 调休 Saturday.
    expect(row.due_date).to.equal('2025-10-11');
    expect(row.due_at).to.equal('2025-10-11 15:59:59.999');
    expect(await w.db('union_wf_history').where({ item_id: id }).select('action', 'from_status', 'to_status', 'actor')).to.deep.equal([
      { action: 'start', from_status: 'opened', to_status: 'working', actor: 'u1' },
    ]);
    const audit = await w.db('union_audit').where({ entity: 'wf_item', entity_id: String(id) });
    expect(audit.map((a) => a.action)).to.deep.equal(['wf_item.start']);
    expect(JSON.parse(audit[0].after)).to.include({ status: 'working', dueAt: '2025-10-11 15:59:59.999' });
  });

  it('an illegal move is a 409 naming the current state, and nothing is written', async () => {
    const id = await item();
    const e = await err(move(id, 'finish', boss, { note: 'x' }));
    expect(e.status).to.equal(409);
    expect(e.message).to.contain('opened');
    expect(e.details).to.deep.equal([{ path: 'status', message: 'opened' }]);
    expect(await w.db('union_wf_history').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect((await w.db('union_wf_items').where({ id }).first()).status).to.equal('opened');
  });

  it('who may: no relation at all is 404 on a confidential record; the wrong relation is 403; missing input is 400', async () => {
    const id = await item();
    expect((await err(move(id, 'start', stranger, { days: 1 }))).status).to.equal(404);
    expect((await err(move(999, 'start', owner, { days: 1 }))).status).to.equal(404);
    expect((await err(move(id, 'start', owner, {}))).details).to.deep.equal([{ path: 'days', message: 'is required' }]);
    await move(id, 'start', owner, { days: 1 });
    expect((await err(move(id, 'finish', owner, { note: 'x' }))).status).to.equal(403);
    await move(id, 'finish', boss, { note: 'done' });
    expect(await w.db('union_wf_items').where({ id }).first()).to.include({ status: 'done', note: 'done' });
    const row = await w.db('union_wf_items').where({ id }).first();
    expect(allowedActions(spec, row, owner)).to.deep.equal([]);
    expect(allowedActions(spec, { ...row, status: 'working' }, owner)).to.deep.equal(['wait']);
  });

  it('a pause keeps the working days left and the resume plans only those (across National Day)', async () => {
    const id = await item();
    await move(id, 'start', owner, { days: 4 }); // 2025-09-30 + 4 → Mon 2025-10-13
    expect((await w.db('union_wf_items').where({ id }).first()).due_date).to.equal('2025-10-13');
    at('2025-10-09T03:00:00Z'); // Thursday, first day back: 10-10, 10-11 (调休 Saturday) and 10-13 are left
    await move(id, 'wait', owner, { note: '请补充工资条' });
    const paused = await w.db('union_wf_items').where({ id }).first();
    expect(paused).to.include({ status: 'waiting', clock_remaining_days: 3 });
    expect(paused.clock_paused_at).to.equal('2025-10-09 03:00:00.000');
    at('2025-10-20T03:00:00Z'); // Monday: three working days from here is Thursday
    await move(id, 'resume', owner);
    const resumed = await w.db('union_wf_items').where({ id }).first();
    expect(resumed).to.include({ status: 'working', due_date: '2025-10-23', clock_paused_at: null, clock_remaining_days: null });
    expect((await w.db('union_wf_history').where({ item_id: id }).orderBy('id')).map((h) => h.note)).to.deep.equal([
      null,
      '请补充工资条',
      null,
    ]);
  });

  it('a case already overdue when paused keeps its old deadline on resume', async () => {
    const id = await item();
    await move(id, 'start', owner, { days: 1 }); // due 2025-10-09
    at('2025-10-13T03:00:00Z');
    await move(id, 'wait', owner);
    expect((await w.db('union_wf_items').where({ id }).first()).clock_remaining_days).to.equal(-3);
    at('2025-10-20T03:00:00Z');
    await move(id, 'resume', owner);
    expect((await w.db('union_wf_items').where({ id }).first()).due_date).to.equal('2025-10-09');
  });
});
