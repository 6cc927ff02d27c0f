import { bearer, type World } from './harness';

/** Fixtures for the desk tests: callers by role, hiring members, and a year of union work month by month. */
export const staff = (w: Pick<World, 'token'>) => bearer(w.token('u_staff', ['employee', 'union_staff']));
export const chair = (w: Pick<World, 'token'>) => bearer(w.token('u_chair', ['employee', 'union_chair']));
export const admin = (w: Pick<World, 'token'>) => bearer(w.token('admin', ['admin']));
export const as = (w: Pick<World, 'token'>, id: string) => bearer(w.token(id));

/** 10:00 in Shanghai on a day. */
export const at10 = (date: string) => new Date(`${date}T02:00:00.000Z`);

export async function hire(w: World, departmentId: string, hireDate: string, name = '测试职工'): Promise<string> {
  const res = await w.api
    .post('/hr/api/employees')
    .set(admin(w))
    .send({ name, departmentId, gender: 'F', birthDate: '1990-01-01', hireDate })
    .expect(201);
  return res.body.id as string;
}

/** A branch union (销售分会) over D05 under the root, and the sync that files its members under it. */
export async function makeBranch(w: World): Promise<number> {
  const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id as number;
  const id = (await w.api.post('/union/api/orgs').set(chair(w)).send({ name: '销售分会', parentId: root, level: 'branch' }).expect(201))
    .body.id as number;
  await w.api
    .put(`/union/api/orgs/${id}/departments`)
    .set(chair(w))
    .send({ departmentIds: ['D05'] })
    .expect(200);
  await w.api.post('/union/api/sync/runs').set(chair(w)).expect(201);
  return id;
}

/** The staff member a case was routed to (least loaded among union staff), as a caller. */
export async function handler(w: World, id: number) {
  const row = await w.db('union_grievances').where({ id }).first('assignee_id');
  // A fresh token at each call: tokens expire, and the clock moves on between steps.
  return () => bearer(w.token(row.assignee_id, ['employee', 'union_staff']));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * One month of union work in `month` (1–11 of 2026): an activity on the 12th that some members attend
 * and score, a grievance filed on the 10th and (except in odd months' second case) resolved and rated,
 * and the month's welfare paid to all but one member.
 */
export async function workMonth(w: World, month: number, members: string[], planId: number): Promise<void> {
  const day = (d: number) => `2026-${pad(month)}-${pad(d)}`;
  w.clock.setSystemTime(at10(day(10)));
  const act = await w.api
    .post('/union/api/activities')
    .set(staff(w))
    .send({
      title: `${month}月活动`,
      type: month % 2 ? 'sports' : 'lecture',
      location: '活动中心',
      capacity: 50,
      startAt: `${day(12)}T01:00:00.000Z`,
      endAt: `${day(12)}T04:00:00.000Z`,
      registrationDeadline: `${day(11)}T10:00:00.000Z`,
    })
    .expect(201);
  await w.api.post(`/union/api/activities/${act.body.id}/publish`).set(staff(w)).expect(200);
  const going = members.filter((_, i) => (i + month) % 3 !== 0);
  for (const id of going) await w.api.post(`/union/api/activities/${act.body.id}/registrations`).set(as(w, id)).send({}).expect(201);

  const filer = members[month % members.length];
  const g1 = (
    await w.api.post('/union/api/grievances').set(as(w, filer)).send({ category: 'wages_benefits', content: '加班费核算' }).expect(201)
  ).body.id as number;
  const g2 = (await w.api.post('/union/api/grievances').set(as(w, filer)).send({ category: 'other', content: '食堂' }).expect(201)).body
    .id as number;
  const h1 = await handler(w, g1);
  const h2 = await handler(w, g2);
  await w.api.post(`/union/api/grievances/${g1}/route`).set(h1()).send({ path: 'coordinated' }).expect(200);
  await w.api.post(`/union/api/grievances/${g2}/route`).set(h2()).send({ path: 'immediate' }).expect(200);

  w.clock.setSystemTime(new Date(`${day(12)}T02:00:00.000Z`));
  for (const [i, id] of going.entries()) {
    await w.api.post(`/union/api/activities/${act.body.id}/checkins`).set(staff(w)).send({ employeeId: id }).expect(200);
    await w.api
      .post(`/union/api/activities/${act.body.id}/feedback`)
      .set(as(w, id))
      .send({ score: 3 + ((i + month) % 3) })
      .expect(201);
  }
  await w.api.post(`/union/api/grievances/${g1}/resolve`).set(h1()).send({ outcome: 'resolved', note: '已补发' }).expect(200);
  await w.api
    .post(`/union/api/grievances/${g1}/follow-up`)
    .set(as(w, filer))
    .send({ evaluation: month % 4 ? 'satisfied' : 'basically_satisfied' })
    .expect(200);
  if (month % 2 === 0) {
    // Even months resolve the second case too (late: its deadline was the day of receipt); odd months leave it open.
    await w.api.post(`/union/api/grievances/${g2}/resolve`).set(h2()).send({ outcome: 'partially', note: '已反馈食堂' }).expect(200);
  }
  await w.api
    .post('/union/api/welfare/payments')
    .set(staff(w))
    .send({ planId, period: `2026-${pad(month)}`, employeeIds: members.slice(month % 2) })
    .expect(201);
}
