import { expect } from 'chai';
import { firingSlot, Scheduler } from '../../plugin/jobs/scheduler';
import { makeWorld, T0, type World } from '../helpers/harness';

const by = (slot?: string) => ({ trigger: 'schedule' as const, actor: { id: 'job:count', kind: 'job' as const }, slot });

describe('scheduled firings on several instances', () => {
  let w: World;
  let runs: string[];
  /** Two instances' schedulers over one database, each with its own id, running the same counting job. */
  let a: Scheduler;
  let b: Scheduler;
  beforeEach(async () => {
    w = await makeWorld();
    runs = [];
    const runner = (name: string) => async () => void runs.push(name);
    a = new Scheduler({ ...w.plugin.ctx, instanceId: 'instance-a' }, { count: runner('a') });
    b = new Scheduler({ ...w.plugin.ctx, instanceId: 'instance-b' }, { count: runner('b') });
  });
  afterEach(async () => w.close());

  it('a firing runs once even when the second instance fires after the first has finished', async () => {
    expect((await a.run('count', by('2026-11-23T10:00'))).ran).to.equal(true);
    expect((await b.run('count', by('2026-11-23T10:00'))).ran).to.equal(false);
    expect(runs).to.deep.equal(['a']);
    // The next firing is a new one; and without a firing (a button) only the lease applies.
    expect((await b.run('count', by('2026-11-23T10:30'))).ran).to.equal(true);
    expect((await a.run('count', by())).ran).to.equal(true);
    expect(runs).to.deep.equal(['a', 'b', 'a']);
  });

  it('six instances firing the same minute at once: exactly one runs', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).run('count', by('2026-11-23T11:00'))));
    expect(results.filter((r) => r.ran)).to.have.length(1);
    expect(runs).to.have.length(1);
  });

  it('claims are forgotten after six hours, so the table does not grow', async () => {
    await a.run('count', by('2026-11-23T10:00'));
    w.clock.tick(7 * 3600_000);
    await a.run('count', by('2026-11-23T17:00'));
    expect(await w.db('union_job_leases').where('job', 'like', 'fired:%').pluck('job')).to.deep.equal(['fired:count@2026-11-23T17:00']);
  });

  it('names a firing by the minute on the job’s clock', () => {
    expect(firingSlot(T0, 'Asia/Shanghai')).to.equal('2026-11-23T10:00');
    expect(firingSlot(new Date('2026-11-23T15:59:59Z'), 'Asia/Shanghai')).to.equal('2026-11-23T23:59');
  });
});
