import type { Knex } from 'knex';
import type { Ctx } from '../../context';
import { zonedToIso } from './form';
import { rate } from './rules';
import { sqlDateTime } from '../../lib/time';

/**
 * 参与分析 for one calendar year (in the module's timezone), set-based: one aggregation per person
 * over the year's activities, joined to the active memberships and grouped overall, by department
 * and by org; one aggregation by activity type. Members who attended nothing count as none.
 */
export async function participation(ctx: Ctx, year = Number(ctx.today().slice(0, 4))) {
  const tz = ctx.settings.timezone;
  const from = sqlDateTime(new Date(zonedToIso(`${year}-01-01T00:00`, tz, 'year')));
  const to = sqlDateTime(new Date(zonedToIso(`${year + 1}-01-01T00:00`, tz, 'year')));
  const db = ctx.db;
  const yearActivities = (q: Knex.QueryBuilder) =>
    q.whereIn('a.status', ['published', 'finished']).andWhere('a.start_at', '>=', from).andWhere('a.start_at', '<', to);

  const perPerson = yearActivities(
    db('union_activity_registrations as r')
      .join('union_activities as a', 'a.id', 'r.activity_id')
      .where('r.status', 'registered')
      .whereNotNull('r.checked_in_at'),
  )
    .groupBy('r.employee_id')
    .select('r.employee_id', db.raw('count(*) as n'), db.raw('sum(r.score) as score_sum'), db.raw('count(r.score) as score_n'))
    .as('p');

  const grouped = (key: 'm.department_id' | 'm.org_id' | null) => {
    const q = db('union_memberships as m')
      .leftJoin(perPerson, 'p.employee_id', 'm.employee_id')
      .where('m.status', 'active')
      .select(
        db.raw('count(*) as members'),
        db.raw('sum(case when p.n >= 1 then 1 else 0 end) as took_part'),
        db.raw('sum(case when p.n >= 3 then 1 else 0 end) as three_or_more'),
        db.raw('sum(case when p.n is null then 1 else 0 end) as no_part'),
        db.raw('sum(case when p.n = 1 then 1 else 0 end) as c1'),
        db.raw('sum(case when p.n = 2 then 1 else 0 end) as c2'),
        db.raw('sum(coalesce(p.n, 0)) as attendances'),
        db.raw('sum(coalesce(p.score_sum, 0)) as score_sum'),
        db.raw('sum(coalesce(p.score_n, 0)) as score_n'),
      );
    if (key) q.groupBy(key).select(db.raw(`${key} as k`));
    return q;
  };

  type Row = Record<
    'members' | 'took_part' | 'three_or_more' | 'no_part' | 'c1' | 'c2' | 'attendances' | 'score_sum' | 'score_n',
    string | number | null
  > & {
    k?: string | number | null;
  };
  const shape = (r: Row) => {
    const members = Number(r.members ?? 0);
    const scoreN = Number(r.score_n ?? 0);
    return {
      members,
      tookPart: Number(r.took_part ?? 0),
      threeOrMore: Number(r.three_or_more ?? 0),
      none: Number(r.no_part ?? 0),
      participationRate: rate(Number(r.took_part ?? 0), members),
      shareThreeOrMore: rate(Number(r.three_or_more ?? 0), members),
      shareNone: rate(Number(r.no_part ?? 0), members),
      averageAttended: members ? Math.round((Number(r.attendances ?? 0) / members) * 100) / 100 : null,
      averageScore: scoreN ? Math.round((Number(r.score_sum) / scoreN) * 100) / 100 : null,
      histogram: [Number(r.no_part ?? 0), Number(r.c1 ?? 0), Number(r.c2 ?? 0), Number(r.three_or_more ?? 0)],
    };
  };

  const [overall, byDept, byOrg, byType, departments, orgs] = await Promise.all([
    grouped(null).first() as Promise<Row>,
    grouped('m.department_id') as Promise<Row[]>,
    grouped('m.org_id') as Promise<Row[]>,
    yearActivities(db('union_activities as a').leftJoin('union_activity_registrations as r', 'r.activity_id', 'a.id'))
      .groupBy('a.type')
      .select(
        'a.type',
        db.raw('count(distinct a.id) as activities'),
        db.raw("sum(case when r.status = 'registered' then 1 else 0 end) as registered"),
        db.raw("sum(case when r.status = 'registered' and r.checked_in_at is not null then 1 else 0 end) as attended"),
        db.raw('avg(r.score) as avg_score'),
      ) as Promise<
      Array<{ type: string; activities: number; registered: number | string; attended: number | string; avg_score: number | string | null }>
    >,
    ctx.host.employees.departments(),
    db('union_orgs').select('id', 'name') as Promise<Array<{ id: number; name: string }>>,
  ]);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  return {
    year,
    ...shape(overall ?? ({} as Row)),
    byType: byType.map((t) => ({
      type: t.type,
      activities: Number(t.activities),
      registered: Number(t.registered ?? 0),
      attended: Number(t.attended ?? 0),
      participationRate: rate(Number(t.attended ?? 0), Number(t.registered ?? 0)),
      averageScore: t.avg_score === null ? null : Math.round(Number(t.avg_score) * 100) / 100,
    })),
    byDepartment: byDept.map((r) => ({ id: String(r.k ?? ''), name: deptName.get(String(r.k ?? '')) ?? String(r.k ?? '—'), ...shape(r) })),
    byOrg: byOrg.map((r) => ({ id: r.k === null ? null : Number(r.k), name: orgName.get(Number(r.k)) ?? '—', ...shape(r) })),
  };
}
