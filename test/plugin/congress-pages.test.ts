import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/** Pages are reached with the host's session cookie; form posts carry the page's CSRF token. */
function browserOf(w: World, who: string, roles = ['employee']) {
  const cookie = `hr_session=${w.token(who, roles)}`;
  return {
    get: (path: string) => w.api.get(path).set('Cookie', cookie),
    async post(from: string, path: string, form: Record<string, string | string[]>) {
      const page = await w.api.get(from).set('Cookie', cookie).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      return w.api
        .post(path)
        .set('Cookie', cookie)
        .type('form')
        .send({ ...form, _csrf: csrf });
    },
  };
}

describe('congress pages: the chair and the committee work with names and 工号, never ids', function () {
  this.timeout(60_000);
  let w: World;
  before(async () => (w = await makeWorld({ employees: 30 })));
  after(async () => w.close());

  it('the chair creates a session from names and employee numbers; a name nobody has comes back with the reason', async () => {
    const chair = browserOf(w, 'u_chair', ['employee', 'union_chair']);
    const [a] = (await w
      .db('host_employees')
      .where({ status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .limit(2)
      .select('id', 'employee_no', 'name')) as Array<{
      id: string;
      employee_no: string;
      name: string;
    }>;
    const bad = await chair.post('/union/congress/manage', '/union/congress/sessions', {
      title: '职代会',
      delegates: `${a.employee_no}\n查无此人`,
      startsOn: '',
    });
    expect(bad.status).to.equal(303);
    expect(decodeURIComponent(bad.headers.location)).to.contain('flash=errors.congress_person_unknown');
    expect(await w.db('union_congress_sessions').count({ n: '*' }).first()).to.deep.include({ n: 0 });

    const ok = await chair.post('/union/congress/manage', '/union/congress/sessions', {
      title: '第五届第二次职代会',
      delegates: `${a.employee_no}\n\n王小明\n`,
      agenda: '审议薪酬方案\n听取报告',
      startsOn: '2026-12-10',
      endsOn: '',
      womenMinPct: '30',
    });
    expect(ok.status).to.equal(303);
    const id = Number(/session=(\d+)/.exec(ok.headers.location)![1]);
    expect(await w.db('union_congress_delegates').where({ session_id: id }).orderBy('employee_id').pluck('employee_id')).to.deep.equal(
      [a.id, 'u_emp'].sort(),
    );
    expect(await w.db('union_congress_sessions').where({ id }).first()).to.include({ women_min_pct: 30, manager_max_pct: 20 });

    const page = await chair.get(`/union/congress/manage?session=${id}`).expect(200);
    expect(page.text).to.contain(a.name).and.to.contain('王小明');
    expect(page.text).not.to.contain(`>${a.id}<`);

    // Attendance from the checkboxes: the hidden empty field alone means nobody is present.
    const none = await chair.post(`/union/congress/manage?session=${id}`, `/union/congress/sessions/${id}/attendance`, { present: '' });
    expect(none.status).to.equal(303);
    await chair.post(`/union/congress/manage?session=${id}`, `/union/congress/sessions/${id}/attendance`, { present: ['', a.id, 'u_emp'] });
    expect(await w.db('union_congress_delegates').where({ session_id: id, present: true }).count({ n: '*' }).first()).to.deep.include({
      n: 2,
    });
  });

  it('the committee assigns a motion by department and answerer name; the answerer answers and the proposer rates on the page', async () => {
    const chairApi = bearer(w.token('u_chair', ['employee', 'union_chair']));
    const answerer = (await w
      .db('host_employees')
      .where({ status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .offset(5)
      .first('id', 'employee_no', 'department_id')) as {
      id: string;
      employee_no: string;
      department_id: string;
    };
    const id = (
      await w.api
        .post('/union/api/congress/sessions')
        .set(chairApi)
        .send({ title: '职代会', delegates: ['u_emp'] })
        .expect(201)
    ).body.id;
    const motion = (
      await w.api
        .post(`/union/api/congress/sessions/${id}/motions`)
        .set(bearer(w.token('u_emp')))
        .send({ title: '提案', content: '内容' })
        .expect(201)
    ).body.id;
    await w.api.post(`/union/api/congress/motions/${motion}/accept`).set(chairApi).expect(200);

    const chair = browserOf(w, 'u_chair', ['employee', 'union_chair']);
    const form = await chair.get(`/union/congress/motions/${motion}`).expect(200);
    expect(form.text).to.contain('data-testid="assign"');
    const res = await chair.post(`/union/congress/motions/${motion}`, `/union/congress/motions/${motion}/assign`, {
      leadDepartmentId: answerer.department_id,
      supportingDepartmentIds: 'D02',
      answerer: answerer.employee_no,
      days: '5',
    });
    expect(res.status).to.equal(303);
    expect(await w.db('union_congress_motions').where({ id: motion }).first()).to.include({
      status: 'assigned',
      answerer_id: answerer.id,
      answer_days: 5,
    });

    const dept = browserOf(w, answerer.id);
    await dept.post(`/union/congress/motions/${motion}`, `/union/congress/motions/${motion}/answer`, { answer: '已安排。' });
    const emp = browserOf(w, 'u_emp');
    const view = await emp.get(`/union/congress/motions/${motion}`).expect(200);
    expect(view.text).to.contain('已安排。').and.to.contain('data-testid="rate"');
    await emp.post(`/union/congress/motions/${motion}`, `/union/congress/motions/${motion}/rate`, { rating: 'basically_satisfied' });
    expect(await w.db('union_congress_motions').where({ id: motion }).first()).to.include({
      status: 'closed',
      rating: 'basically_satisfied',
    });
  });
});
