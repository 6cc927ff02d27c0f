import type { Ctx } from '../context';
import { asDate } from '../lib/time';
import { orgsForDepartments } from './orgs';
import { NOTHING, scopeUnder, type Scope } from './scope';
import { rolesFor, STAFF_ROLES } from '../auth';

/**
 * What is true of a caller now, whatever their token says: whether they still work here, which host
 * roles they hold, and which union orgs they serve. Read on each request through a short cache, so an
 * exit or a role taken away ends staff access within a minute on every instance.
 */
export interface Standing {
  /** `unknown`: neither the host nor the module's facts know the person (a service account, say). */
  employment: 'employed' | 'exited' | 'unknown';
  /** The host's current roles; null when the host cannot say (no `auth.currentRoles`): the token's then count. */
  hostRoles: string[] | null;
  /** Orgs whose subtree the person works on as staff or chair: their assignments, else their department's org (none without such a role). */
  anchorOrgs: number[];
  /** Those subtrees, for when the person holds a staff or chair role (cached with the rest: org changes apply within a minute too). */
  staffScope: Scope;
}

/** Under a minute, so that revocation meets its promise however the request lands between refreshes. */
export const STANDING_TTL_MS = 30_000;
export const STANDING_CACHE_MAX = 5_000;

/** A small map with a time limit and a size limit; the oldest entry goes first when full. */
export class StandingCache {
  private readonly entries = new Map<string, { at: number; value: Standing }>();
  constructor(
    readonly ttlMs = STANDING_TTL_MS,
    readonly max = STANDING_CACHE_MAX,
  ) {}

  get(id: string, now: number): Standing | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    // A clock moved backwards (tests, NTP) must not keep an entry alive either.
    if (now - e.at >= this.ttlMs || now < e.at) {
      this.entries.delete(id);
      return undefined;
    }
    return e.value;
  }

  set(id: string, value: Standing, now: number): void {
    this.entries.delete(id);
    while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(id, { at: now, value });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Left on `today` means: the host says so, or the module's facts hold an exit on or before today. */
export async function readStanding(ctx: Ctx, userId: string): Promise<Standing> {
  const today = ctx.today();
  const [person, fact, hostRoles] = await Promise.all([
    ctx.host.employees.get(userId),
    ctx
      .db('union_employees')
      .where({ employee_id: userId })
      .where('version', '>', 0)
      .first('department_id', 'hire_date', 'exit_date') as Promise<Record<string, unknown> | undefined>,
    ctx.host.auth.currentRoles ? ctx.host.auth.currentRoles(userId) : Promise.resolve(null),
  ]);
  const hostLeft = !!person && (person.status !== 'employed' || (!!person.exitDate && person.exitDate <= today));
  const factExit = fact ? asDate(fact.exit_date) : null;
  const factHire = fact ? asDate(fact.hire_date) : null;
  const factLeft = !!factExit && factExit <= today && (!factHire || factHire <= factExit);
  const employment = hostLeft || factLeft ? 'exited' : person || fact ? 'employed' : 'unknown';

  // Most callers are employees: when the host says they hold no staff or chair role, they have no scope
  // to work in, and the reads that find it are skipped (a first request costs three statements less).
  const staff = hostRoles === null || rolesFor(ctx.settings, hostRoles).some((r) => STAFF_ROLES.includes(r));
  if (!staff) return { employment, hostRoles, anchorOrgs: [], staffScope: NOTHING };
  const assigned: number[] = await ctx.db('union_org_officers').where({ employee_id: userId }).pluck('org_id');
  let anchorOrgs = assigned.map(Number);
  const department = person?.departmentId ?? (fact?.department_id as string | undefined);
  if (!anchorOrgs.length && department) {
    const org = (await orgsForDepartments(ctx.db, [department]))(department);
    anchorOrgs = org === null ? [] : [org];
  }
  return { employment, hostRoles, anchorOrgs, staffScope: await scopeUnder(ctx.db, anchorOrgs) };
}

/** The standing of a caller, from the cache when fresh; says once when the host cannot tell current roles. */
export function standingReader(ctx: Ctx, cache = new StandingCache()): (userId: string) => Promise<Standing> {
  let warned = false;
  return async (userId) => {
    const now = ctx.now().getTime();
    const hit = cache.get(userId, now);
    if (hit) return hit;
    if (!ctx.host.auth.currentRoles && !warned) {
      warned = true;
      ctx.host.logger.warn(
        { missing: 'auth.currentRoles' },
        'union: the host cannot tell current roles; role changes take effect when tokens expire (exits still within a minute)',
      );
    }
    const value = await readStanding(ctx, userId);
    cache.set(userId, value, now);
    return value;
  };
}
