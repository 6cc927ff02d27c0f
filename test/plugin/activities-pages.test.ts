import { expect } from 'chai';
import { makeWorld, T0, type World } from '../helpers/harness';
import { employed, newActivity } from '../helpers/activities';

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

describe('activities: pages', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ employees: 30 })));
  afterEach(async () => {
    w.clock.setSystemTime(T0);
    await w.close();
  });

  it('staff create with the form (times in Beijing time, options as lines), see errors per field, publish, roster and stats with an SVG chart', async () => {
    const staff = browserOf(w, 'u_staff', ['employee', 'union_staff']);
    const form = {
      title: '羽毛球赛',
      type: 'sports',
      startAt: '2026-12-05T09:00',
      endAt: '2026-12-05T12:00',
      registrationDeadline: '2026-12-04T18:00',
      location: '体育馆',
      capacity: '20',
      options: '单打:8\n双打：12',
      optionLimit: '1',
      audienceKind: 'employed',
      audienceIds: '',
      description: '<p>自带球拍</p>',
    };
    const bad = await staff.post('/union/activities/manage/new', '/union/activities/manage/new', { ...form, endAt: '2026-12-05T08:00' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('data-testid="form-errors"').and.contain('body.endAt').and.contain('羽毛球赛');
    expect(await w.db('union_activities')).to.have.length(0);

    const ok = await staff.post('/union/activities/manage/new', '/union/activities/manage/new', form);
    expect(ok.status).to.equal(303);
    const a = await w.db('union_activities').first();
    expect(a).to.include({ title: '羽毛球赛', start_at: '2026-12-05 01:00:00.000', capacity: 20, option_limit: 1, status: 'draft' });
    expect(
      (await w.db('union_activity_options').where({ activity_id: a.id }).orderBy('sort')).map((o) => [o.name, o.capacity]),
    ).to.deep.equal([
      ['单打', 8],
      ['双打', 12],
    ]);
    const edit = await staff.get(`/union/activities/manage/${a.id}`).expect(200);
    expect(edit.text).to.contain('value="2026-12-05T09:00"').and.contain('单打:8');
    const pub = await staff.post(`/union/activities/manage/${a.id}`, `/union/activities/manage/${a.id}/publish`, {});
    expect(pub.status).to.equal(303);
    expect((await w.db('union_activities').where({ id: a.id }).first()).status).to.equal('published');

    expect((await staff.get('/union/activities/manage').expect(200)).text).to.contain('羽毛球赛');
    const roster = await staff.get(`/union/activities/manage/${a.id}/roster`).expect(200);
    expect(roster.text).to.contain('data-testid="venue-qr"');
    const stats = await staff.get(`/union/activities/manage/${a.id}/stats`).expect(200);
    expect(stats.text).to.contain('<svg').and.contain('data-testid="chart-scores"');
    await browserOf(w, 'u_emp').get(`/union/activities/manage/${a.id}/stats`).expect(403);
  });

  it('an employee signs up with an option from the detail page, sees the status and the personal QR, and cancels', async () => {
    const [e1] = await employed(w, 1);
    const { id, options } = await newActivity(w, {
      audience: { kind: 'employed' },
      options: [{ name: '跑步', capacity: 5 }, { name: '跳绳' }],
      optionLimit: 1,
    });
    const emp = browserOf(w, e1);
    const list = await emp.get('/union/activities').expect(200);
    expect(list.text).to.contain('职工运动会');
    const none = await emp.post(`/union/activities/${id}`, `/union/activities/${id}/register`, {});
    expect(none.status).to.equal(303);
    expect(none.headers.location).to.contain('flash=activities.flash.invalid');
    const signed = await emp.post(`/union/activities/${id}`, `/union/activities/${id}/register`, { options: String(options[0].id) });
    expect(signed.headers.location).to.contain('flash=activities.flash.registered');
    const detail = await emp.get(`/union/activities/${id}`).expect(200);
    expect(detail.text).to.contain('已报名').and.contain('data-testid="my-qr"').and.contain('data:image/svg+xml;base64,');
    const gone = await emp.post(`/union/activities/${id}`, `/union/activities/${id}/unregister`, {});
    expect(gone.headers.location).to.contain('flash=activities.flash.cancelled');
    expect((await w.db('union_activity_registrations').first()).status).to.equal('cancelled');
  });
});
