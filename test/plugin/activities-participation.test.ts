import { expect } from 'chai';
import { bearer, makeWorld, T0, TODAY, type World } from '../helpers/harness';
import { as, newActivity, staff } from '../helpers/activities';

async function hireMember(w: World, name: string, departmentId: string): Promise<string> {
  const res = await w.api
    .post('/hr/api/employees')
    .set(bearer(w.token('admin', ['admin'])))
    .send({ name, departmentId, gender: 'F', birthDate: '1992-02-02', hireDate: TODAY })
    .expect(201);
  return res.body.id as string;
}

describe('activities: participation analysis', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ employees: 20 })));
  afterEach(async () => {
    w.clock.setSystemTime(T0);
    await w.close();
  });

  it('per member this year: share with 3 or more and with none, by type, department and org; JSON and a page with charts', async () => {
    const [a, b, c, d] = [
      await hireMember(w, '甲', 'D01'),
      await hireMember(w, '乙', 'D01'),
      await hireMember(w, '丙', 'D02'),
      await hireMember(w, '丁', 'D02'),
    ];
    const sports = await newActivity(w, { type: 'sports' });
    const lecture = await newActivity(w, { type: 'lecture' });
    const outdoor = await newActivity(w, { type: 'outdoor' });
    for (const x of [sports, lecture, outdoor])
      await w.api.post(`/union/api/activities/${x.id}/registrations`).set(as(w, a)).send({}).expect(201);
    await w.api.post(`/union/api/activities/${sports.id}/registrations`).set(as(w, b)).send({}).expect(201);
    await w.api.post(`/union/api/activities/${sports.id}/registrations`).set(as(w, c)).send({}).expect(201);
    w.clock.setSystemTime(new Date('2026-12-01T02:00:00.000Z'));
    for (const x of [sports, lecture, outdoor])
      await w.api.post(`/union/api/activities/${x.id}/checkins`).set(staff(w)).send({ employeeId: a }).expect(200);
    await w.api.post(`/union/api/activities/${sports.id}/checkins`).set(staff(w)).send({ employeeId: b }).expect(200);
    await w.api.post(`/union/api/activities/${sports.id}/feedback`).set(as(w, a)).send({ score: 5 }).expect(201);
    await w.api.post(`/union/api/activities/${sports.id}/feedback`).set(as(w, b)).send({ score: 3 }).expect(201);

    await w.api.get('/union/api/activities-participation').set(as(w, a)).expect(403);
    const { body } = await w.api.get('/union/api/activities-participation').set(staff(w)).expect(200);
    expect(body).to.include({
      year: 2026,
      members: 4,
      tookPart: 2,
      threeOrMore: 1,
      none: 2,
      shareThreeOrMore: 0.25,
      shareNone: 0.5,
      averageScore: 4,
    });
    expect(body.histogram).to.deep.equal([2, 1, 0, 1]);
    const sportsRow = body.byType.find((t: { type: string }) => t.type === 'sports');
    expect(sportsRow).to.include({ activities: 1, registered: 3, attended: 2, participationRate: 0.6667, averageScore: 4 });
    const d1 = body.byDepartment.find((x: { id: string }) => x.id === 'D01');
    const d2 = body.byDepartment.find((x: { id: string }) => x.id === 'D02');
    expect(d1).to.include({ members: 2, tookPart: 2, threeOrMore: 1, none: 0 });
    expect(d2).to.include({ members: 2, tookPart: 0, none: 2 });
    expect(body.byOrg.reduce((n: number, o: { members: number }) => n + o.members, 0)).to.equal(4);
    expect(d).to.be.a('string');
    // Another year has nothing to count.
    expect((await w.api.get('/union/api/activities-participation?year=2025').set(staff(w)).expect(200)).body).to.include({
      tookPart: 0,
      none: 4,
    });

    const page = await w.api
      .get('/union/activities/analysis')
      .set('Cookie', `hr_session=${w.token('u_staff', ['employee', 'union_staff'])}`)
      .expect(200);
    expect(page.text).to.contain('data-testid="share-three"').and.contain('25.0%').and.contain('<svg');
  });
});
