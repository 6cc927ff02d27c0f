import type { Knex } from 'knex';
import type { Trx } from '../context';
import { Conflict } from '../errors';
import type { Working } from './memberships';

/**
 * Writes changed memberships, many in one UPDATE (a CASE per changed column), each guarded by the
 * version read under lock: a sync that changes hundreds of people pays one round trip per 200, not one
 * per person. A row not at its version means someone else wrote it: the whole write is refused.
 */
export async function updateMemberships(trx: Trx, batch: Working[], now: string): Promise<void> {
  const row = (w: Working) => w.next as unknown as Record<string, unknown>;
  const columns = new Set<string>();
  for (const w of batch) {
    const before = w.before as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(row(w))) if (k !== 'id' && k !== 'version' && v !== before[k]) columns.add(k);
  }
  const values: Record<string, unknown> = { version: trx.raw('version + 1'), updated_at: now };
  for (const k of columns)
    values[k] =
      batch.length === 1
        ? (row(batch[0])[k] ?? null)
        : trx.raw(
            `case id ${batch.map(() => 'when ? then ?').join(' ')} end`,
            batch.flatMap((w) => [w.before!.id, (row(w)[k] ?? null) as Knex.Value]),
          );
  const q = trx('union_memberships');
  // One pair is an equality: MariaDB reads `(id, version) in ((?, ?))` by scanning the whole primary key
  // (several pairs it reads as ranges), and one person at a time is what events and staff write.
  if (batch.length === 1) q.where({ id: batch[0].before!.id, version: batch[0].before!.version });
  else
    q.whereIn(
      ['id', 'version'],
      batch.map((w) => [w.before!.id, w.before!.version]),
    );
  const n = await q.update(values);
  if (n !== batch.length) {
    const who = batch.length === 1 ? batch[0].plan.employeeId : `one of ${batch.length} people`;
    throw new Conflict(`membership of ${who} changed meanwhile`).because('changed_meanwhile');
  }
}
