/**
 * The host's database connection. Production hosts run MySQL; the reference host falls back to a
 * SQLite file so that `npm start` works on a fresh machine with nothing else installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';

export const DEFAULT_SQLITE_FILE = './data/host.sqlite';

/**
 * `mysql://user:pass@host:3306/db` -> MySQL through mysql2;
 * `sqlite:/path/file.sqlite`, `sqlite:./rel.sqlite` or `sqlite::memory:` -> better-sqlite3;
 * nothing -> better-sqlite3 file ./data/host.sqlite.
 */
export function createKnex(url?: string): Knex {
  if (!url) return sqliteKnex(DEFAULT_SQLITE_FILE);
  if (/^mysql2?:\/\//i.test(url)) return mysqlKnex(url);
  if (url.startsWith('sqlite:')) {
    // Accept both sqlite:/abs/path and sqlite:///abs/path.
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new Error(`DATABASE_URL ${url} names no SQLite file`);
    return sqliteKnex(file);
  }
  throw new Error(`Unsupported DATABASE_URL scheme (use mysql:// or sqlite:): ${redact(url)}`);
}

function mysqlKnex(url: string): Knex {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${redact(url)}`);
  return knex({
    client: 'mysql2',
    connection: {
      host: u.hostname || '127.0.0.1',
      port: u.port ? Number(u.port) : 3306,
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      database,
      // Dates stay 'YYYY-MM-DD' strings and datetimes UTC strings, on both drivers alike.
      dateStrings: true,
      timezone: 'Z',
      charset: 'utf8mb4',
    },
    pool: {
      min: 0,
      max: 10,
      // CURRENT_TIMESTAMP and NOW() then agree with the UTC strings the code writes.
      afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
      },
    },
  });
}

function sqliteKnex(file: string): Knex {
  const memory = file === ':memory:';
  if (!memory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      // Every :memory: connection is its own empty database, so keep exactly one.
      ...(memory ? { min: 1, max: 1, idleTimeoutMillis: Number.MAX_SAFE_INTEGER } : {}),
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        try {
          // WAL lets page reads proceed while a write is in flight; SQLite ignores foreign keys unless asked.
          if (!memory) conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
}

export function isMysql(db: Knex): boolean {
  const client = (db.client as { config?: { client?: unknown } }).config?.client;
  return typeof client === 'string' && client.startsWith('mysql');
}

/** For log lines and error messages: never print a password. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
