/**
 * The synthetic company for the benchmark: the reference host's people from seedCompany (fixed seed),
 * the module installed and enabled through the host's plugin manager (so its first sync records every
 * employee), a few branch unions through the module's own services, and then 90% of the people who
 * ever worked here made members with history, written in bulk exactly as the module writes them when
 * it follows hires and exits (status, member number GH{joinYear}{seq}, org, dates, version, history).
 * Kept between runs: a marker row says which size and generator version the database holds.
 */
import type { Knex } from 'knex';
import { createHostApp } from '../examples/host/app';
import { silentLogger } from '../examples/host/logger';
import { mulberry32 } from '../examples/host/prng';
import { seedCompany } from '../examples/host/seed';
import { DEV_SECRET } from '../examples/host/sso';
import type { UnionPlugin } from '../plugin';
import { employedOn } from '../plugin/services/decide';
import { compilePattern } from '../plugin/services/member-numbers';
import { createOrg, mapDepartments, orgsForDepartments } from '../plugin/services/orgs';
import { asDate } from '../plugin/lib/time';
import { HOST_ENV, readMarker, stateChecksum, timed, writeMarker } from './lib';
import { resetDb } from '../test/helpers/db';

export const GENERATOR_VERSION = 2;
export const SEED = 20261123;
const MEMBER_SHARE = 0.9;
const CHUNK = 2000;

/** Branch unions (分会) and the departments each covers; other departments stay with the primary union. */
export const BRANCHES: Array<{ name: string; departments: string[] }> = [
  { name: '一车间分会', departments: ['D01'] },
  { name: '二车间分会', departments: ['D02'] },
  { name: '质检仓储分会', departments: ['D03', 'D04'] },
  { name: '研发信息分会', departments: ['D06', 'D12'] },
  { name: '海外项目分会', departments: ['D11'] },
];

export interface GenerateReport {
  reused: boolean;
  employees: number;
  members?: number;
  historyRows?: number;
  /** The whole generation, and its parts. */
  ms?: number;
  seedMs?: number;
  /** plugins.enable: migrations plus the module's first sync over every employee. */
  installMs?: number;
  membersMs?: number;
}

/** Reuses a clean database of the same size and version; otherwise builds it from nothing. */
export async function ensureGenerated(db: Knex, employees: number, log: (s: string) => void = () => {}): Promise<GenerateReport> {
  const marker = await readMarker(db);
  if (marker && marker.version === GENERATOR_VERSION && marker.employees === employees && marker.seed === SEED && marker.clean) {
    const sum = await stateChecksum(db);
    if (sum === marker.checksum) return { reused: true, employees };
    log(`bench data changed since it was generated (checksum ${sum} != ${marker.checksum}); regenerating`);
  } else if (marker) {
    log(`bench data is ${JSON.stringify({ version: marker.version, employees: marker.employees, clean: marker.clean })}; regenerating`);
  }
  return generate(db, employees, log);
}

export async function generate(db: Knex, employees: number, log: (s: string) => void = () => {}): Promise<GenerateReport> {
  const t0 = Date.now();
  await resetDb(db);
  const host = await createHostApp({ db, logger: silentLogger, env: HOST_ENV, secret: DEV_SECRET, startPlugins: false });
  try {
    const seeded = await timed(() => seedCompany(db, { employees, seed: SEED }));
    log(`seeded ${seeded.value.employees} host employees in ${Math.round(seeded.ms)} ms`);
    await db('host_plugins').insert({
      id: 'union',
      enabled: false,
      installed: false,
      settings: JSON.stringify({ jobs: { enabled: false } }),
      updated_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
    });
    const installed = await timed(() => host.plugins.enable('union'));
    log(`installed and enabled the module (first sync of every employee) in ${Math.round(installed.ms)} ms`);
    const plugin = host.plugins.instance('union') as UnionPlugin;
    const members = await timed(() => addMembers(plugin, db));
    log(`wrote ${members.value.members} memberships and ${members.value.history} history rows in ${Math.round(members.ms)} ms`);
    await writeMarker(db, {
      version: GENERATOR_VERSION,
      employees,
      seed: SEED,
      clean: true,
      generatedAt: new Date().toISOString(),
      checksum: await stateChecksum(db),
    });
    return {
      reused: false,
      employees,
      members: members.value.members,
      historyRows: members.value.history,
      ms: Date.now() - t0,
      seedMs: Math.round(seeded.ms),
      installMs: Math.round(installed.ms),
      membersMs: Math.round(members.ms),
    };
  } finally {
    await host.close();
  }
}

interface FactLite {
  employee_id: string;
  department_id: string;
  hire_date: string | null;
  exit_date: string | null;
  retired: boolean;
}

async function addMembers(plugin: UnionPlugin, db: Knex): Promise<{ members: number; history: number }> {
  const ctx = plugin.ctx;
  const actor = { id: 'bench:generate', kind: 'system' as const };
  const root = (await db('union_orgs').whereNull('parent_id').first('id')).id as number;
  for (const b of BRANCHES) {
    const id = await createOrg(ctx, actor, { name: b.name, parentId: root, level: 'branch' });
    await mapDepartments(ctx, actor, id, b.departments);
  }
  const orgOf = await orgsForDepartments(db);
  const today = ctx.today();
  const pattern = compilePattern(ctx.settings.memberNoPattern);
  const rng = mulberry32(SEED + 1);

  const facts: FactLite[] = (
    await db('union_employees').orderBy('employee_id').select('employee_id', 'department_id', 'hire_date', 'exit_date', 'retired')
  ).map((r: Record<string, unknown>) => ({
    employee_id: r.employee_id as string,
    department_id: r.department_id as string,
    hire_date: asDate(r.hire_date),
    exit_date: asDate(r.exit_date),
    retired: !!Number(r.retired),
  }));
  // Everyone who was ever employed had the same chance to join on hire; leavers' memberships ended with the job.
  const chosen = facts.filter((f) => f.hire_date && f.hire_date <= today && rng.chance(MEMBER_SHARE));
  chosen.sort((a, b) => (a.hire_date! < b.hire_date! ? -1 : a.hire_date! > b.hire_date! ? 1 : a.employee_id < b.employee_id ? -1 : 1));

  const seqs = new Map<string, number>();
  const memberships: Record<string, unknown>[] = [];
  const history: Record<string, unknown>[] = [];
  let id = Number((await db('union_memberships').max({ m: 'id' }).first())?.m ?? 0);
  for (const f of chosen) {
    id++;
    const prefix = pattern.prefixFor(Number(f.hire_date!.slice(0, 4)));
    const seq = (seqs.get(prefix) ?? 0) + 1;
    seqs.set(prefix, seq);
    const memberNo = pattern.format(prefix, seq);
    const org = orgOf(f.department_id);
    const joinedAt = `${f.hire_date} 01:00:00.000`;
    const ended = !employedOn(f, today) && !!f.exit_date;
    const to = ended ? (f.retired ? 'retained' : 'expired') : 'active';
    const endedAt = ended ? `${f.exit_date} 01:00:00.000` : null;
    memberships.push({
      id,
      employee_id: f.employee_id,
      member_no: memberNo,
      status: to,
      org_id: org,
      department_id: f.department_id,
      joined_at: f.hire_date,
      expired_at: ended ? f.exit_date : null,
      status_reason: ended ? (f.retired ? 'retired' : 'exited') : 'hired',
      consent_at: joinedAt,
      consent_method: 'policy',
      override_status: null,
      override_until: null,
      version: ended ? 2 : 1,
      created_at: joinedAt,
      updated_at: endedAt ?? joinedAt,
    });
    const base = { membership_id: id, employee_id: f.employee_id, from_org_id: org, to_org_id: org, member_no: memberNo, source: 'event' };
    history.push({
      ...base,
      from_status: null,
      to_status: 'active',
      effective_date: f.hire_date,
      reason: 'hired',
      actor: `event:bench-hire-${f.employee_id}`,
      at: joinedAt,
    });
    if (ended) {
      history.push({
        ...base,
        from_status: 'active',
        to_status: to,
        effective_date: f.exit_date,
        reason: f.retired ? 'retired' : 'exited',
        actor: `event:bench-exit-${f.employee_id}`,
        at: endedAt,
      });
    }
  }
  await db.transaction(async (trx) => {
    for (let i = 0; i < memberships.length; i += CHUNK) await trx('union_memberships').insert(memberships.slice(i, i + CHUNK));
    for (let i = 0; i < history.length; i += CHUNK) await trx('union_membership_history').insert(history.slice(i, i + CHUNK));
    const rows = [...seqs].map(([prefix, last_value]) => ({ prefix, last_value }));
    if (rows.length) await trx('union_member_no_sequences').insert(rows);
  });
  return { members: memberships.length, history: history.length };
}
