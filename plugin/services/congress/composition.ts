import type { Ctx } from '../../context';
import { getSession } from './sessions';
import { compositionWarnings, type CompositionCount } from './rules';

interface DelegateRow {
  employee_id: string;
  org_id: number | null;
  category: string;
  female: number | boolean;
  votes_received: number | null;
  present: number | boolean;
}

/**
 * The delegates by delegation group (the union org of their department), and the composition against the
 * rules the union set for the session: warnings the chair reads, never a block on the election result.
 */
export async function composition(ctx: Ctx, sessionId: number) {
  const s = await getSession(ctx, sessionId);
  const rows = (await ctx
    .db('union_congress_delegates')
    .where({ session_id: sessionId })
    .orderBy(['org_id', 'employee_id'])) as DelegateRow[];
  const [people, orgs] = await Promise.all([
    rows.length ? ctx.host.employees.getMany(rows.map((r) => r.employee_id)) : Promise.resolve([]),
    ctx.db('union_orgs').select('id', 'name') as Promise<Array<{ id: number; name: string }>>,
  ]);
  const name = new Map(people.map((e) => [e.id, e.name]));
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const count: CompositionCount = {
    total: rows.length,
    managers: rows.filter((r) => r.category === 'manager').length,
    women: rows.filter((r) => Boolean(r.female)).length,
    frontLine: rows.filter((r) => r.category === 'front_line').length,
  };
  const groups = new Map<
    string,
    { org: string; delegates: Array<{ employeeId: string; name: string; category: string; present: boolean; votes: number | null }> }
  >();
  for (const r of rows) {
    const org = r.org_id === null ? '' : (orgName.get(r.org_id) ?? '');
    const g = groups.get(org) ?? { org, delegates: [] };
    g.delegates.push({
      employeeId: r.employee_id,
      name: name.get(r.employee_id) ?? '',
      category: r.category,
      present: Boolean(r.present),
      votes: r.votes_received,
    });
    groups.set(org, g);
  }
  return {
    count,
    rules: { managerMaxPct: s.manager_max_pct, womenMinPct: s.women_min_pct, frontLineMinPct: s.front_line_min_pct },
    warnings: compositionWarnings(count, {
      managerMaxPct: s.manager_max_pct,
      womenMinPct: s.women_min_pct,
      frontLineMinPct: s.front_line_min_pct,
    }),
    groups: [...groups.values()],
  };
}
