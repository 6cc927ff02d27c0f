import type { Knex } from 'knex';

export type Db = Knex | Knex.Transaction;

export function isMysql(db: Db): boolean {
  const client = (db.client as { config?: { client?: unknown } }).config?.client;
  return typeof client === 'string' ? client.startsWith('mysql') : false;
}

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/**
 * Runs `work` in one transaction. InnoDB may pick this transaction as a deadlock victim under
 * concurrent writers; the whole unit is then retried, which is safe because nothing was committed.
 */
export async function inTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // READ COMMITTED on InnoDB: no gap locks on searches, so FOR UPDATE on a row that does not exist yet
      // (a first membership) does not deadlock with another writer inserting next to it. Row locks and
      // unique keys still serialise what must be serial.
      return await (isMysql(db) ? db.transaction(work, { isolationLevel: 'read committed' }) : db.transaction(work));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.floor(Math.random() * 10)));
    }
  }
}

/** SELECT ... FOR UPDATE on MySQL; SQLite serialises writers anyway and has no row locks. */
export function lockForUpdate<T extends object>(db: Db, qb: Knex.QueryBuilder<T>): Knex.QueryBuilder<T> {
  return isMysql(db) ? qb.forUpdate() : qb;
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e.code === 'ER_DUP_ENTRY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Splits a list for IN (...) clauses and multi-row inserts that stay under packet and variable limits. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
