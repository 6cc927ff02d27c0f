import fs from 'node:fs';
import path from 'node:path';

/** A legacy-ledger fixture, from the repo's copy when there is one, else from the shared folder beside the repo. */
export function ledgerFixture(name: string): Buffer {
  const found = [
    path.join(__dirname, '../fixtures/legacy-ledger', name),
    path.join(__dirname, '../../../shared/fixtures/legacy-ledger', name),
  ].find((p) => fs.existsSync(p));
  if (!found) throw new Error(`legacy-ledger/${name} not found under test/fixtures or ../shared/fixtures`);
  return fs.readFileSync(found);
}
