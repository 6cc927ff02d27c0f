import { bearer, type World } from './harness';

/** Fixtures for the activities tests: a staff caller, an activity a week after T0, people who may sign up. */
export const staff = (w: Pick<World, 'token'>) => bearer(w.token('u_staff', ['employee', 'union_staff']));
export const as = (w: Pick<World, 'token'>, id: string) => bearer(w.token(id));

export const WHEN = {
  startAt: '2026-12-01T01:00:00.000Z',
  endAt: '2026-12-01T04:00:00.000Z',
  registrationDeadline: '2026-11-30T10:00:00.000Z',
};

export async function newActivity(w: Pick<World, 'api' | 'token'>, extra: Record<string, unknown> = {}, publish = true) {
  const res = await w.api
    .post('/union/api/activities')
    .set(staff(w))
    .send({ title: '职工运动会', type: 'sports', location: '体育馆', capacity: 50, ...WHEN, ...extra });
  if (res.status !== 201) throw new Error(`create failed ${res.status} ${JSON.stringify(res.body)}`);
  if (publish) await w.api.post(`/union/api/activities/${res.body.id}/publish`).set(staff(w)).expect(200);
  return res.body as { id: number; options: Array<{ id: number; name: string }> };
}

/** Employed people of the seeded company (the install's first sync recorded them). */
export async function employed(w: Pick<World, 'db'>, n: number): Promise<string[]> {
  const rows = await w
    .db('union_employees')
    .where({ status: 'employed' })
    .where('employee_id', 'like', 'E%')
    .orderBy('employee_id')
    .limit(n);
  if (rows.length < n) throw new Error(`only ${rows.length} employed people seeded`);
  return rows.map((r: { employee_id: string }) => r.employee_id);
}

export async function registrations(w: Pick<World, 'db'>, activityId: number) {
  return w.db('union_activity_registrations').where({ activity_id: activityId }).orderBy('id');
}
