import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { startImport } from '../../plugin/sync/ledger-import';
import { makeWorld, type World } from '../helpers/harness';

describe('privacy: personal data kept only as long as it has a job', () => {
  let w: World;
  before(async () => (w = await makeWorld()));
  after(async () => w.close());

  it('the daily job purges the cells of imported ledgers after 90 days and keeps the import record', async () => {
    const buffer = fs.readFileSync(path.join(__dirname, '../fixtures/legacy-ledger/ledger.xlsx'));
    const record = await startImport(w.plugin.ctx, { id: 'u_staff', kind: 'user' }, { buffer, filename: 'ledger.xlsx' });
    const count = async () => Number((await w.db('union_import_rows').where({ import_id: record.id }).count({ n: '*' }).first())!.n);
    expect(await count()).to.equal(28);
    const by = { trigger: 'schedule' as const, actor: { id: 'job:apply-due', kind: 'job' as const } };
    w.clock.tick(89 * 86_400_000);
    await w.plugin.runJob('apply-due', by);
    expect(await count()).to.equal(28);
    w.clock.tick(2 * 86_400_000);
    const run = await w.plugin.runJob('apply-due', by);
    expect(run.value).to.include({ importRowsPurged: 28 });
    expect(await count()).to.equal(0);
    expect(await w.db('union_imports').where({ id: record.id }).first()).to.include({ filename: 'ledger.xlsx' });
  });
});
