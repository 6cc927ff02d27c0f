import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Ctx } from '../context';
import type { Scope } from './scope';

/**
 * A read cache for list pages that the lists' single writers invalidate. A list's version lives in
 * MySQL (union_list_versions) and is bumped inside the writer's transaction, so it becomes visible
 * exactly when the write does, to every instance on the database. A request reads the version (one
 * primary-key read, shared by requests that arrive while it is under way), and serves a cached page
 * only if it was computed at that version: never a page older than the last committed write.
 *
 * What the host owns (names, department names) has no writer here to bump anything: a cached page keeps
 * those for at most HOST_DATA_TTL_MS, the epoch of which is part of the key and of the ETag.
 */
export type ListName = 'members';

const SLOTS = 8;
const MAX_ENTRIES = 500;
export const HOST_DATA_TTL_MS = 30_000;

/** Bumps a list's version in the writer's transaction; the slot is random so concurrent writers seldom meet. */
export async function bumpListVersion(trx: Knex | Knex.Transaction, name: ListName): Promise<void> {
  const slot = Math.floor(Math.random() * SLOTS);
  await trx('union_list_versions')
    .insert({ name, slot, version: 1 })
    .onConflict(['name', 'slot'])
    .merge({ version: trx.raw('?? + 1', ['union_list_versions.version']) });
}

async function readVersion(db: Knex, name: ListName): Promise<number> {
  const row = await db('union_list_versions').where({ name }).sum({ v: 'version' }).first();
  return Number((row as { v?: number | string | null } | undefined)?.v ?? 0);
}

/** The read under way for a list, and the one queued behind it for requests that arrived after it left. */
interface Reads {
  current?: { startedAt: number; version: Promise<number> };
  queued?: Promise<number>;
}

class ListCache {
  private readonly entries = new Map<string, unknown>();
  private readonly reads = new Map<ListName, Reads>();
  private readonly seen = new Map<ListName, number>();

  constructor(private readonly db: Knex) {}

  /**
   * The committed version as of some moment after `arrivedAt`. A read sent after the request arrived
   * answers for it; otherwise the request waits for the next read, which is sent when the one under way
   * returns. So at most one read per list is in flight whatever the request rate, and none is older
   * than the request it answers.
   */
  version(name: ListName, arrivedAt: number): Promise<number> {
    let r = this.reads.get(name);
    if (!r) this.reads.set(name, (r = {}));
    const current = r.current;
    if (!current) return this.send(name, r);
    if (current.startedAt >= arrivedAt) return current.version;
    if (r.queued) return r.queued;
    const reads = r;
    const next = () => this.send(name, reads);
    return (reads.queued = current.version.then(next, next));
  }

  private send(name: ListName, r: Reads): Promise<number> {
    r.queued = undefined;
    const version = readVersion(this.db, name).then((v) => (this.observe(name, v), v));
    const current = { startedAt: performance.now(), version };
    r.current = current;
    const done = () => {
      if (r.current === current) r.current = undefined;
    };
    version.then(done, done);
    return version;
  }

  private observe(name: ListName, v: number): void {
    const before = this.seen.get(name);
    if (before !== undefined && v < before) {
      // A smaller sum means the table was recreated (tests): nothing cached before can be trusted.
      this.dropList(name);
      this.seen.set(name, v);
    } else if (before === undefined || v > before) {
      this.seen.set(name, v);
      this.dropOlder(name, v);
    }
  }

  get(key: string): unknown {
    const v = this.entries.get(key);
    if (v !== undefined) {
      // Most recently used last, so the oldest is first to go.
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  set(name: ListName, version: number, key: string, value: unknown): void {
    // A computation that started before a newer version was seen is not worth keeping.
    if ((this.seen.get(name) ?? 0) > version) return;
    this.entries.set(key, value);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  private dropList(name: ListName): void {
    for (const k of this.entries.keys()) if (k.startsWith(`${name}|`)) this.entries.delete(k);
  }

  private dropOlder(name: ListName, v: number): void {
    for (const k of this.entries.keys()) if (k.startsWith(`${name}|`) && Number(k.split('|')[1]) < v) this.entries.delete(k);
  }
}

const caches = new WeakMap<Ctx, ListCache>();
function cacheOf(ctx: Ctx): ListCache {
  let c = caches.get(ctx);
  if (!c) caches.set(ctx, (c = new ListCache(ctx.db)));
  return c;
}

/** The scope as part of a key: a branch's staff and the root's never share an entry. */
export function scopeKey(scope: Scope): string {
  if (scope.all) return 'all';
  return createHash('sha1')
    .update(JSON.stringify([scope.orgIds, scope.departmentIds]))
    .digest('base64url');
}

/** The query as part of a key, in a fixed order whatever order the URL had. */
export function queryKey(query: object): string {
  return JSON.stringify(
    Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

export interface Cached<T> {
  value: T;
  /** A strong validator of what the value was computed from: list, version, host-data epoch, scope, query. */
  etag: string;
}

/**
 * The value for (list, scope, query) at the committed version, computed by `load` on a miss. The key's
 * parts after the version are the caller's: everything the value depends on besides the list's rows.
 */
export async function cachedList<T>(
  ctx: Ctx,
  name: ListName,
  parts: string[],
  load: () => Promise<T>,
  arrivedAt = performance.now(),
): Promise<Cached<T>> {
  const cache = cacheOf(ctx);
  const version = await cache.version(name, arrivedAt);
  const epoch = Math.floor(Date.now() / HOST_DATA_TTL_MS);
  const key = [name, version, epoch, ...parts].join('|');
  const etag = `"${createHash('sha1').update(key).digest('base64url')}"`;
  const hit = cache.get(key) as T | undefined;
  if (hit !== undefined) return { value: hit, etag };
  const value = await load();
  cache.set(name, version, key, value);
  return { value, etag };
}
