/**
 * The demo union: on a fresh start the reference host enables the module and fills it through the
 * module's own services (applyPlans, createOrg, mapDepartments, submitApplication, invite), so
 * every row, number, history entry and audit row is what the module itself would have written.
 * About 85% of employees are members since (soon after) their hire date; retirees who were members
 * keep a retained membership, people who left have an expired one; a 生产分会 covers the two
 * production floors; a few applications and invitations are open. Deterministic (seeded PRNG).
 * Turn it off with UNION_DEMO=0. Runs once: it does nothing when memberships exist.
 */
import type { Knex } from 'knex';
import type { UnionPlugin } from '../../plugin';
import type { Actor } from '../../plugin/context';
import { inTransaction } from '../../plugin/lib/db';
import { applyPlans, loadForUpdate, type Plan } from '../../plugin/services/memberships';
import { createOrg, ensureRootOrg, mapDepartments } from '../../plugin/services/orgs';
import { submitApplication } from '../../plugin/services/applications';
import { WHOLE_UNION } from '../../plugin/services/scope';
import { invite } from '../../plugin/services/invitations';
import type { Transition } from '../../plugin/services/decide';
import { mulberry32 } from './prng';
import { asDate } from './time';

export interface UnionDemoSummary {
  seeded: boolean;
  members: number;
  retained: number;
  expired: number;
  applications: number;
  invitations: number;
}

const SYSTEM: Actor = { id: 'system:demo', kind: 'system' };
/** Demo users keep the roles the README gives them: u_emp is the employee who has not joined yet. */
const NOT_MEMBERS = new Set(['u_emp']);
const DAY_MS = 86_400_000;

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export async function seedUnionDemo(db: Knex, plugin: UnionPlugin, seed = 20261124): Promise<UnionDemoSummary> {
  const none = { seeded: false, members: 0, retained: 0, expired: 0, applications: 0, invitations: 0 };
  const ctx = plugin.ctx;
  if (await ctx.db('union_memberships').first('id')) return none;
  const rng = mulberry32(seed);
  const today = ctx.today();

  const root = await ensureRootOrg(ctx);
  const branch = await createOrg(ctx, SYSTEM, { name: '生产分会', parentId: root, level: 'branch' });
  await mapDepartments(ctx, SYSTEM, Number(branch), ['D01', 'D02']);

  const people: Array<{ id: string; hire_date: unknown; exit_date: unknown; status: string }> = await db('host_employees').select(
    'id',
    'hire_date',
    'exit_date',
    'status',
  );
  // Sorted here, not by the database: collations differ ('admin' before 'E…' on MySQL, after on SQLite),
  // and the same people must be chosen on both, so the demo ledger in examples/ fits either.
  people.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const joined = new Set<string>();
  const chosen: Array<{ id: string; transitions: Transition[] }> = [];
  let retained = 0;
  let expired = 0;
  for (const p of people) {
    if (NOT_MEMBERS.has(p.id)) continue;
    const hire = asDate(p.hire_date)!;
    const exit = asDate(p.exit_date);
    const share = p.status === 'employed' ? 0.87 : p.status === 'retired' ? 0.6 : 0.4;
    if (!rng.chance(share) && !p.id.startsWith('u_')) continue;
    // Most joined within weeks of starting; the date never passes the exit or today.
    let joinDay = addDays(hire, rng.int(0, 60));
    const limit = exit ? addDays(exit, -1) : today;
    if (joinDay > limit) joinDay = hire;
    const transitions: Transition[] = [{ kind: 'join', date: joinDay, consentMethod: 'application', reason: 'application' }];
    if (p.status === 'retired' && exit) {
      transitions.push({ kind: 'retain', date: exit, reason: 'retired' });
      retained++;
    } else if (p.status !== 'employed' && exit) {
      transitions.push({ kind: 'expire', date: exit, reason: 'exited' });
      expired++;
    }
    chosen.push({ id: p.id, transitions });
    joined.add(p.id);
  }
  // Oldest joins first, so member numbers run in the order people joined.
  chosen.sort((a, b) => (a.transitions[0] as { date: string }).date.localeCompare((b.transitions[0] as { date: string }).date));
  for (let i = 0; i < chosen.length; i += 1000) {
    const batch = chosen.slice(i, i + 1000);
    await inTransaction(ctx.db, async (trx) => {
      const { facts, memberships } = await loadForUpdate(
        trx,
        batch.map((c) => c.id),
      );
      const plans: Plan[] = batch.map((c) => ({
        employeeId: c.id,
        fact: facts.get(c.id),
        membership: memberships.get(c.id),
        transitions: c.transitions,
        markHireApplied: true,
      }));
      // Source 'import': the demo stands for an old ledger brought in, so nobody is welcomed by message.
      await applyPlans(ctx, trx, SYSTEM, 'import', plans);
    });
  }

  const outsiders = people.filter((p) => p.status === 'employed' && !joined.has(p.id) && !p.id.startsWith('u_')).map((p) => p.id);
  const applicants = outsiders.slice(0, 6);
  for (const id of applicants) await submitApplication(ctx, { id, kind: 'user' }, id, { consent: true, note: '希望参加工会活动' });
  const toInvite = outsiders.slice(6, 46);
  const staff: Actor = { id: 'u_staff', kind: 'user' };
  if (toInvite.length) await invite(ctx, staff, { employeeIds: toInvite }, WHOLE_UNION);
  return { seeded: true, members: chosen.length, retained, expired, applications: applicants.length, invitations: toInvite.length };
}
