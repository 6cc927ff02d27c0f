import type { Actor, Ctx, Trx } from '../context';
import { chunks, lockForUpdate } from '../lib/db';
import { asDate } from '../lib/time';
import { writeAuditMany, type AuditEntry } from './audit';
import { allocateMemberNos, compilePattern } from './member-numbers';
import { orgsForDepartments } from './orgs';
import { bumpListVersion } from './list-cache';
import { updateMemberships } from './membership-updates';
import { decide, type Fact, type MembershipRow, type MembershipStatus, type Transition } from './decide';
import type { ChangeSource, DomainEvent } from '../events/domain';

export type Source = ChangeSource;

export interface Plan {
  employeeId: string;
  fact?: Fact;
  membership?: MembershipRow;
  transitions: Transition[];
  markHireApplied?: boolean;
  /** Department to place a new membership in when there is no fact row (e.g. an import). */
  departmentId?: string;
  /** A member number that must be used (imports); otherwise one is issued or the old one kept. */
  memberNo?: string;
  /** Who caused this person's change when a batch mixes causes (events in one batch); else the call's actor. */
  actor?: Actor;
}

/** What happened: for the caller's report, and as the domain events other areas subscribe to. */
export interface Effects {
  joined: Array<{ employeeId: string; memberNo: string; rejoined: boolean }>;
  invited: string[];
  ended: Array<{ employeeId: string; status: MembershipStatus; date: string }>;
  changed: Array<{ employeeId: string; change: Transition['kind'] }>;
  events: DomainEvent[];
}

export function emptyEffects(): Effects {
  return { joined: [], invited: [], ended: [], changed: [], events: [] };
}

const ENDED_EVENT = { expired: 'membership.expired', retained: 'membership.retained', withdrawn: 'membership.withdrew' } as const;

/** The domain events of one applyPlans call, in the order people were planned. */
function eventsOf(work: Working[], effects: Effects, source: Source): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (const j of effects.joined) events.push({ type: 'membership.joined', ...j, source });
  for (const employeeId of effects.invited) events.push({ type: 'membership.invited', employeeId, source });
  for (const e of effects.ended) {
    const type = ENDED_EVENT[e.status as keyof typeof ENDED_EVENT];
    if (type) events.push({ type, employeeId: e.employeeId, date: e.date, source });
  }
  for (const w of work) {
    if (w.plan.transitions.some((t) => t.kind === 'transfer'))
      events.push({
        type: 'membership.transferred',
        employeeId: w.plan.employeeId,
        fromOrgId: w.before?.org_id ?? null,
        toOrgId: w.next.org_id,
        source,
      });
  }
  return events;
}

const MEMBERSHIP_COLUMNS = [
  'id',
  'employee_id',
  'member_no',
  'status',
  'org_id',
  'department_id',
  'joined_at',
  'expired_at',
  'status_reason',
  'consent_at',
  'consent_method',
  'override_status',
  'override_until',
  'version',
];

/**
 * Row objects here are copied with Object.assign, not spread: V8 gives a spread copy a property store
 * several times the size (600 bytes for a membership row against 170), and a 50,000-row import makes
 * tens of thousands of them per statement.
 */
export function normaliseMembership(r: Record<string, unknown>): MembershipRow {
  return Object.assign({}, r as unknown as MembershipRow, {
    joined_at: asDate(r.joined_at),
    expired_at: asDate(r.expired_at),
    override_until: asDate(r.override_until),
    version: Number(r.version),
  });
}

export function normaliseFact(r: Record<string, unknown>): Fact {
  return Object.assign({}, r as unknown as Fact, {
    hire_date: asDate(r.hire_date),
    exit_date: asDate(r.exit_date),
    retired: !!Number(r.retired),
    hire_applied: !!Number(r.hire_applied),
    version: Number(r.version),
  });
}

/**
 * Reads facts and locks memberships (in that order everywhere, so writers do not deadlock). `known` are
 * facts the caller has just written and holds locked (a batch of events): they are not read again.
 */
export async function loadForUpdate(trx: Trx, employeeIds: string[], known?: ReadonlyMap<string, Fact>) {
  const facts = new Map<string, Fact>();
  const memberships = new Map<string, MembershipRow>();
  for (const ids of chunks([...new Set(employeeIds)], 1000)) {
    const unknown = ids.filter((id) => !known?.has(id));
    for (const id of ids) if (known?.has(id)) facts.set(id, known.get(id)!);
    if (unknown.length)
      for (const r of await trx('union_employees').whereIn('employee_id', unknown).select()) facts.set(r.employee_id, normaliseFact(r));
    const q = trx('union_memberships').whereIn('employee_id', ids).select(MEMBERSHIP_COLUMNS);
    for (const r of await lockForUpdate(trx, q)) memberships.set(r.employee_id, normaliseMembership(r));
  }
  return { facts, memberships };
}

/** Brings the given people's memberships in line with what is known of their employment today. */
export async function settle(
  ctx: Ctx,
  trx: Trx,
  actor: Actor,
  source: Source,
  employeeIds: string[],
  actorOf?: (employeeId: string) => Actor | undefined,
  known?: ReadonlyMap<string, Fact>,
): Promise<Effects> {
  const { facts, memberships } = await loadForUpdate(trx, employeeIds, known);
  const orgOf = await orgsForDepartments(
    trx,
    [...facts.values()].map((f) => f.department_id),
  );
  const today = ctx.today();
  const plans: Plan[] = [];
  for (const id of new Set(employeeIds)) {
    const fact = facts.get(id);
    const membership = memberships.get(id);
    const d = decide({ fact, membership, today, onHire: ctx.settings.onHire, orgOf });
    if (d.transitions.length || d.markHireApplied) plans.push({ employeeId: id, fact, membership, ...d, actor: actorOf?.(id) });
  }
  return applyPlans(ctx, trx, actor, source, plans, orgOf);
}

export interface Working {
  plan: Plan;
  before: MembershipRow | undefined;
  next: Omit<MembershipRow, 'id' | 'version'> & { id?: number; version?: number };
  history: Array<Record<string, unknown>>;
}

/**
 * Applies planned transitions for many people in one transaction: numbers are reserved in blocks,
 * rows are written in bulk, and every change leaves a history row and an audit row.
 */
export async function applyPlans(
  ctx: Ctx,
  trx: Trx,
  actor: Actor,
  source: Source,
  plans: Plan[],
  orgOfGiven?: (dept: string) => number | null,
): Promise<Effects> {
  const effects = emptyEffects();
  if (!plans.length) return effects;
  const orgOf =
    orgOfGiven ??
    (await orgsForDepartments(
      trx,
      plans.map((p) => p.fact?.department_id ?? p.departmentId ?? ''),
    ));
  const pattern = compilePattern(ctx.settings.memberNoPattern);
  const now = ctx.nowSql();

  // Reserve member numbers for first-time joiners, grouped by join year.
  const needNumbers = new Map<number, Plan[]>();
  for (const p of plans) {
    const join = p.transitions.find((t) => t.kind === 'join' || (t.kind === 'set_status' && t.status === 'active'));
    if (!join || p.membership?.member_no || p.memberNo) continue;
    const year = Number(('date' in join ? join.date : ctx.today()).slice(0, 4));
    needNumbers.set(year, [...(needNumbers.get(year) ?? []), p]);
  }
  const issued = new Map<string, string>();
  for (const [year, ps] of [...needNumbers].sort(([a], [b]) => a - b)) {
    const nos = await allocateMemberNos(trx, pattern, year, ps.length);
    ps.forEach((p, i) => issued.set(p.employeeId, nos[i]));
  }

  const work: Working[] = plans.map((plan) => {
    const m = plan.membership;
    const dept = plan.fact?.department_id ?? plan.departmentId ?? '';
    const next = m
      ? Object.assign({}, m)
      : {
          employee_id: plan.employeeId,
          member_no: null,
          status: 'pending' as MembershipStatus,
          org_id: orgOf(dept),
          department_id: dept || null,
          joined_at: null,
          expired_at: null,
          status_reason: null,
          consent_at: null,
          consent_method: null,
          override_status: null,
          override_until: null,
        };
    const w: Working = { plan, before: m, next, history: [] };
    for (const t of plan.transitions) step(w, t, issued.get(plan.employeeId) ?? plan.memberNo ?? null, now, effects);
    return w;
  });

  const inserts = work.filter((w) => !w.before && w.plan.transitions.length);
  for (const batch of chunks(inserts, 500)) {
    const ids = await trx('union_memberships').insert(
      batch.map((w) => Object.assign({}, w.next, { version: 1, created_at: now, updated_at: now })),
    );
    // One row (an event, a join): the driver's insert id is that row's id, no need to read it back.
    if (inserts.length === 1 && Number(ids?.[0]) > 0) inserts[0].next.id = Number(ids[0]);
  }
  if (inserts.length && inserts.some((w) => w.next.id === undefined)) {
    for (const ids of chunks(
      inserts.map((w) => w.plan.employeeId),
      1000,
    )) {
      const rows: Array<{ id: number; employee_id: string }> = await trx('union_memberships')
        .whereIn('employee_id', ids)
        .select('id', 'employee_id');
      const byEmployee = new Map(rows.map((r) => [r.employee_id, r.id]));
      for (const w of inserts) if (byEmployee.has(w.plan.employeeId)) w.next.id = byEmployee.get(w.plan.employeeId);
    }
  }
  for (const batch of chunks(
    work.filter((x) => x.before && x.plan.transitions.length),
    200,
  ))
    await updateMemberships(trx, batch, now);

  // Cached list pages computed before this commit stop being served the moment it is visible.
  if (work.some((w) => w.plan.transitions.length)) await bumpListVersion(trx, 'members');

  const history = work.flatMap((w) =>
    w.history.map((h) =>
      Object.assign({}, h, { membership_id: w.next.id ?? w.before!.id, actor: (w.plan.actor ?? actor).id, source, at: now }),
    ),
  );
  for (const batch of chunks(history, 500)) await trx('union_membership_history').insert(batch);
  const audits: AuditEntry[] = work
    .filter((w) => w.plan.transitions.length)
    .map((w) => ({
      action: `membership.${w.plan.transitions.map((t) => t.kind).join('+')}`,
      entity: 'membership',
      entityId: w.plan.employeeId,
      before: w.before ?? null,
      after: w.next,
      actor: w.plan.actor,
    }));
  await writeAuditMany(ctx, trx, actor, audits);

  // Other areas follow in the same transaction (invitations are marked joined, registrations released ...),
  // all at once, each told who caused each person's change (a batch of webhook events has one cause per event).
  effects.events = eventsOf(work, effects, source);
  const causeOf = new Map(plans.filter((p) => p.actor).map((p) => [p.employeeId, p.actor!]));
  await ctx.bus.inTransaction(ctx, trx, effects.events, actor, (employeeId) => causeOf.get(employeeId) ?? actor);
  const applied = plans.filter((p) => p.markHireApplied).map((p) => p.employeeId);
  for (const batch of chunks(applied, 1000)) await trx('union_employees').whereIn('employee_id', batch).update({ hire_applied: true });
  return effects;
}

function step(w: Working, t: Transition, newNo: string | null, now: string, effects: Effects): void {
  const n = w.next;
  const from = n.status;
  const fromOrg = n.org_id;
  const record = (to: MembershipStatus, reason: string, date: string | null) =>
    w.history.push({
      employee_id: w.plan.employeeId,
      from_status: w.before || w.history.length ? from : null,
      to_status: to,
      from_org_id: fromOrg,
      to_org_id: n.org_id,
      member_no: n.member_no,
      effective_date: date,
      reason,
    });
  switch (t.kind) {
    case 'join': {
      const rejoined = !!n.member_no;
      n.member_no = n.member_no ?? newNo;
      n.status = 'active';
      n.joined_at = rejoined && n.joined_at ? n.joined_at : t.date;
      n.expired_at = null;
      n.status_reason = t.reason;
      // The moment the person consented (an application's), else the moment the policy enrolled them.
      n.consent_at = t.consentAt ?? now;
      n.consent_method = t.consentMethod;
      record('active', t.reason, t.date);
      effects.joined.push({ employeeId: w.plan.employeeId, memberNo: n.member_no!, rejoined });
      break;
    }
    case 'invite':
      n.status = 'pending';
      n.status_reason = t.reason;
      record('pending', t.reason, null);
      effects.invited.push(w.plan.employeeId);
      break;
    case 'expire':
    case 'retain': {
      const to = t.kind === 'expire' ? 'expired' : 'retained';
      n.status = to;
      n.expired_at = t.date;
      n.status_reason = t.reason;
      record(to, t.reason, t.date);
      effects.ended.push({ employeeId: w.plan.employeeId, status: to, date: t.date });
      break;
    }
    case 'transfer':
      n.org_id = t.toOrg;
      n.department_id = t.toDepartment || null;
      record(n.status, t.reason, null);
      break;
    case 'set_status': {
      if (t.status === 'active') {
        n.member_no = n.member_no ?? newNo;
        n.joined_at = n.joined_at ?? t.date;
        n.expired_at = null;
        // Staff enrol someone only with the consent they gave on paper; an old consent is never invented anew.
        if (t.consent) {
          n.consent_at = t.consent.at;
          n.consent_method = 'staff';
          n.consent_ref = t.consent.ref;
        }
        if (from !== 'active') effects.joined.push({ employeeId: w.plan.employeeId, memberNo: n.member_no!, rejoined: false });
      } else if (t.status === 'expired' || t.status === 'retained' || t.status === 'withdrawn') {
        n.expired_at = t.date;
        if (from === 'active' || from === 'pending') effects.ended.push({ employeeId: w.plan.employeeId, status: t.status, date: t.date });
      }
      n.status = t.status;
      n.status_reason = t.reason;
      n.override_status = t.override ? t.status : null;
      n.override_until = t.override ? t.until : null;
      record(t.status, t.reason, t.date);
      break;
    }
    case 'clear_override':
      n.override_status = null;
      n.override_until = null;
      record(n.status, t.reason, null);
      break;
  }
  effects.changed.push({ employeeId: w.plan.employeeId, change: t.kind });
}

/** Hands the committed change to the areas' after-commit subscribers (notifications); failures are logged, never rolled back. */
export async function deliver(ctx: Ctx, effects: Effects): Promise<void> {
  await ctx.bus.afterCommit(ctx, effects.events);
}
