import { expect } from 'chai';
import { loadEmployeesCsv } from '../../examples/host/seed';
import { beat, keepAlive, recoverStale, STALE_AFTER_MS } from '../../plugin/services/imports';
import { sqlDateTime } from '../../plugin/lib/time';
import { bearer, makeWorld, type World } from '../helpers/harness';
import { ledgerFixture } from '../helpers/fixtures';

const fixture = ledgerFixture;

const OTHER = 'host-b:3000:4242';

describe('ledger imports whose process died (crash recovery)', () => {
  let w: World;
  beforeEach(async () => {
    w = await makeWorld({ employees: 0 });
    await loadEmployeesCsv(w.db, fixture('employees.csv').toString('utf8'));
  });
  afterEach(async () => w.close());

  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const ago = (ms: number) => sqlDateTime(new Date(Date.now() - ms));

  async function dryRun(): Promise<number> {
    const res = await w.api.post('/union/api/imports').set(staff()).attach('file', fixture('ledger.xlsx'), 'ledger.xlsx').expect(201);
    return res.body.id as number;
  }

  /** What a process that died mid-run leaves behind: the import `running`, its worker's last heartbeat `beatAgo` ms ago. */
  async function leftRunning(id: number, phase: 'dry_run' | 'commit', worker: string, beatAgo: number) {
    await w
      .db('union_imports')
      .where({ id })
      .update({ phase, status: 'running', worker, heartbeat_at: ago(beatAgo), updated_at: ago(beatAgo) });
  }

  const rowsOf = async (id: number) => Number((await w.db('union_import_rows').where({ import_id: id }).count({ n: '*' }).first())!.n);
  const recoveries = () => w.db('union_audit').where({ action: 'import.recover' }).select('entity_id', 'actor', 'after');

  it('a restarted instance fails a dry run whose heartbeat stopped, at once, and deletes its staged rows', async () => {
    const id = await dryRun();
    const live = await dryRun();
    expect(await rowsOf(id)).to.equal(28);
    await leftRunning(id, 'dry_run', OTHER, STALE_AFTER_MS + 5_000);
    await leftRunning(live, 'dry_run', OTHER, 1_000); // another instance, alive: left alone

    await w.plugin.disable();
    await w.plugin.enable();

    expect(await w.db('union_imports').where({ id }).first('status', 'error')).to.deep.equal({
      status: 'failed',
      error: 'stalled: the instance running this import stopped',
    });
    expect(await rowsOf(id), 'the ledger’s personal data is gone').to.equal(0);
    expect(await w.db('union_imports').where({ id: live }).first('status')).to.deep.equal({ status: 'running' });
    expect(await rowsOf(live)).to.equal(28);
    const audit = await recoveries();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ entity_id: String(id), actor: 'system:import-recovery' });
    expect(JSON.parse(audit[0].after)).to.deep.equal({ status: 'failed', rowsDeleted: 28 });
    const shown = await w.api.get(`/union/api/imports/${id}?limit=0`).set(staff()).expect(200);
    expect(shown.body).to.include({ status: 'failed' });
  });

  it('an import this very instance id left running (the process restarted under the same id) is failed on enable whatever its heartbeat', async () => {
    const id = await dryRun();
    await leftRunning(id, 'dry_run', w.plugin.ctx.instanceId, 0);
    await w.plugin.disable();
    await w.plugin.enable();
    expect(await w.db('union_imports').where({ id }).first('status')).to.deep.equal({ status: 'failed' });
    expect(await rowsOf(id)).to.equal(0);
  });

  it('a commit whose instance died blocks a re-commit only until its heartbeat is stale (30 s, not 5 minutes); then it commits', async () => {
    const id = await dryRun();
    await leftRunning(id, 'commit', OTHER, 0);
    const busy = await w.api.post(`/union/api/imports/${id}/commit`).set(staff()).expect(409);
    expect(busy.body.error.message).to.match(/commit is running/);
    expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.equal({ n: 0 });

    w.clock.tick(STALE_AFTER_MS + 1_000);
    const res = await w.api.post(`/union/api/imports/${id}/commit`).set(staff()).expect(200);
    expect(res.body).to.include({ phase: 'commit', status: 'done' });
    expect(res.body.result).to.include({ imported: 22, expired: 2 });
    expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.equal({ n: 24 });
    const audit = await recoveries();
    expect(audit.map((a) => a.entity_id)).to.deep.equal([String(id)]);
    // A dead commit rolled back with its process: the dry run's rows stay, for the commit to use.
    expect(JSON.parse(audit[0].after)).to.deep.equal({ status: 'failed', rowsDeleted: 0 });
    expect(await w.db('union_imports').where({ id }).first('status', 'worker')).to.deep.equal({
      status: 'done',
      worker: w.plugin.ctx.instanceId,
    });
  });

  it('a run this instance holds keeps its heartbeat and is never taken for dead; a run taken over can no longer beat', async () => {
    const ctx = w.plugin.ctx;
    const id = await dryRun();
    await w
      .db('union_imports')
      .where({ id })
      .update({ phase: 'commit', status: 'running', worker: ctx.instanceId, heartbeat_at: ago(60_000) });
    const release = keepAlive(ctx, id);
    try {
      expect(await recoverStale(ctx)).to.deep.equal([]);
      expect(await beat(ctx, id)).to.equal(true);
      expect((await w.db('union_imports').where({ id }).first('heartbeat_at')).heartbeat_at).to.equal(sqlDateTime(new Date()));
    } finally {
      release();
    }
    w.clock.tick(STALE_AFTER_MS + 1_000);
    expect(await recoverStale(ctx)).to.deep.equal([id]);
    expect(await beat(ctx, id)).to.equal(false);
  });
});
