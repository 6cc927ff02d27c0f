import type { Ctx } from '../context';
import type { Employee } from '../host';
import { chunks } from '../lib/db';
import { asDate } from '../lib/time';
import type { FactRow } from '../services/employment';
import { DECIDE_COLUMNS, type MembershipRow } from '../services/decide';

/** How a reconciliation reads: the host's pages, and our facts and memberships for each, ahead of the diff. */

/**
 * A host page is a run of employee ids, so one index range read (between its smallest and largest id)
 * is much cheaper than an IN list of 2,000 random lookups. The host's order and JavaScript's need not
 * match the database's collation, so the range is capped (else the IN list is used), and ids the range
 * did not bring back are looked up by name before anyone is taken to have no row.
 */
async function byIdRange(
  ctx: Ctx,
  table: string,
  ids: string[],
  columns: string[],
): Promise<Array<Record<string, unknown> & { employee_id: string }>> {
  const sorted = [...ids].sort();
  const cap = ids.length * 2;
  const rows = await ctx
    .db(table)
    .whereBetween('employee_id', [sorted[0], sorted[sorted.length - 1]])
    .limit(cap + 1)
    .select(columns);
  if (rows.length > cap) return ctx.db(table).whereIn('employee_id', ids).select(columns);
  const found = new Set(rows.map((r: { employee_id: string }) => r.employee_id));
  const missing = ids.filter((id) => !found.has(id));
  for (const part of chunks(missing, 1000)) rows.push(...(await ctx.db(table).whereIn('employee_id', part).select(columns)));
  return rows;
}

export interface PageRead {
  employees: Employee[];
  nextCursor: string | null;
  prev: Map<string, FactRow>;
  members: Map<string, MembershipRow>;
}

/** The fact columns a run compares (all of them, named so that a new column is not read by accident). */
const FACT_READ = [
  'employee_id',
  'department_id',
  'status',
  'hire_date',
  'exit_date',
  'retired',
  'hire_applied',
  'fact_at',
  'dept_at',
  'version',
];

/** Pages read ahead of the one being diffed: enough that the database's latency hides behind the work. */
export const READ_AHEAD = 3;

/**
 * Reads pages ahead of the caller: the host's pages one after another (each needs the last one's
 * cursor), and our facts and memberships for each as soon as its ids are known. Pages hold different
 * people, so reading ahead never sees a write meant for the page being written. Resolves null after
 * the last page; a failed read surfaces when its page is asked for.
 */
export function readAhead(ctx: Ctx, limit: number, depth: number): () => Promise<PageRead | null> {
  type HostPage = Awaited<ReturnType<Ctx['host']['employees']['list']>>;
  let tail: Promise<HostPage | 'start' | null> = Promise.resolve('start');
  const slots: Array<Promise<PageRead | null>> = [];
  const add = () => {
    const host = tail.then((prev) =>
      prev === 'start' || prev?.nextCursor ? ctx.host.employees.list({ cursor: prev === 'start' ? null : prev.nextCursor, limit }) : null,
    );
    tail = host;
    tail.catch(() => undefined);
    const slot = host.then((p) => (p ? readOurs(ctx, p) : null));
    slot.catch(() => undefined);
    slots.push(slot);
  };
  for (let i = 0; i < depth; i++) add();
  return () => {
    add();
    return slots.shift()!;
  };
}

async function readOurs(ctx: Ctx, page: { items: Employee[]; nextCursor: string | null }): Promise<PageRead> {
  const prev = new Map<string, FactRow>();
  const members = new Map<string, MembershipRow>();
  if (!page.items.length) return { employees: page.items, nextCursor: page.nextCursor, prev, members };
  const ids = page.items.map((e) => e.id);
  const wanted = new Set(ids);
  // Both reads at once, and of the membership only what decide() looks at: settle() reads whole rows, locked.
  const [factRows, memberRows] = await Promise.all([
    byIdRange(ctx, 'union_employees', ids, [...FACT_READ]),
    byIdRange(ctx, 'union_memberships', ids, [...DECIDE_COLUMNS]),
  ]);
  // Built field by field (normaliseFact/normaliseMembership copy the whole driver row): a million
  // employees means two million of these, and the copies were a good part of the run's garbage.
  for (const r of factRows) if (wanted.has(r.employee_id)) prev.set(r.employee_id, factRowOf(r));
  for (const r of memberRows) if (wanted.has(r.employee_id)) members.set(r.employee_id, decideViewOf(r));
  return { employees: page.items, nextCursor: page.nextCursor, prev, members };
}

/** A stored fact row as normaliseFact gives it, with its two times. */
function factRowOf(r: Record<string, unknown>): FactRow {
  return {
    employee_id: r.employee_id as string,
    department_id: r.department_id as string,
    status: r.status as string,
    hire_date: asDate(r.hire_date),
    exit_date: asDate(r.exit_date),
    retired: !!Number(r.retired),
    hire_applied: !!Number(r.hire_applied),
    version: Number(r.version),
    fact_at: r.fact_at as string,
    dept_at: r.dept_at as string,
  };
}

/** The membership columns decide() reads (DECIDE_COLUMNS), as normaliseMembership gives them. */
function decideViewOf(r: Record<string, unknown>): MembershipRow {
  return {
    employee_id: r.employee_id,
    status: r.status,
    org_id: r.org_id,
    department_id: r.department_id,
    override_status: r.override_status,
    override_until: asDate(r.override_until),
    joined_at: null,
    expired_at: null,
  } as unknown as MembershipRow;
}
