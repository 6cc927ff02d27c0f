import { expect } from 'chai';
import { makeWorld, type World } from '../helpers/harness';
import { as, employed, newActivity, staff } from '../helpers/activities';

const TYPES = [
  'sports',
  { code: 'dragon_boat', label: { 'zh-CN': '龙舟赛', en: 'Dragon boat race' } },
  { code: 'lecture', label: { 'zh-CN': '职工大讲堂', en: 'Workers’ lecture hall' } },
];

/** Activity types are configurable; people read each type's name in their language, never its code. */
describe('activities: configured types are shown by their names', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('a union type and a renamed built-in read as their labels in zh-CN and en on every page, and only configured codes are accepted', async () => {
    const world = await makeWorld({ employees: 20, settings: { activities: { types: TYPES } } });
    w = world;
    const [p] = await employed(w, 1);
    const { id } = await newActivity(w, { title: '端午龙舟', type: 'dragon_boat', audience: { kind: 'employed' } });
    await newActivity(w, { title: '讲座', type: 'lecture', audience: { kind: 'employed' } });
    await w.api
      .post('/union/api/activities')
      .set(staff(w))
      .send({
        title: 'x',
        type: 'outdoor',
        location: 'y',
        startAt: '2026-12-01T01:00:00Z',
        endAt: '2026-12-01T02:00:00Z',
        registrationDeadline: '2026-11-30T01:00:00Z',
      })
      .expect(400)
      .expect((r) => expect(JSON.stringify(r.body)).to.contain('body.type'));
    await w.api.post(`/union/api/activities/${id}/registrations`).set(as(w, p)).send({}).expect(201);

    const pages = [
      [as(w, p), '/union/activities'],
      [as(w, p), `/union/activities/${id}`],
      [staff(w), '/union/activities/manage'],
      [staff(w), `/union/activities/manage/${id}`],
      [staff(w), '/union/activities/analysis'],
    ] as const;
    for (const [who, path] of pages) {
      for (const [lang, boat] of [
        ['zh-CN', '龙舟赛'],
        ['en', 'Dragon boat race'],
      ] as const) {
        const html = (await w.api.get(`${path}?lang=${lang}`).set(who).expect(200)).text;
        expect(html, `${path} ${lang}`).to.contain(boat);
        expect(html, `${path} ${lang}`).not.to.match(/>[^<]*dragon_boat[^<]*</);
        expect(html, `${path} ${lang}`).not.to.contain('activities.types.');
      }
    }
    const zhManage = (await w.api.get('/union/activities/manage?lang=zh-CN').set(staff(w))).text;
    expect(zhManage).to.contain('职工大讲堂');
    const form = (await w.api.get('/union/activities/manage/new?lang=en').set(staff(w))).text;
    expect(form).to.contain('<option value="dragon_boat"').and.contain('Dragon boat race').and.contain('Workers’ lecture hall');
    expect(form).not.to.contain('value="outdoor"');
  });

  it('a union type without a name in both languages is refused when the module loads', async () => {
    let failed: unknown;
    try {
      w = await makeWorld({ employees: 5, settings: { activities: { types: ['sports', 'dragon_boat'] } } });
    } catch (err) {
      failed = err;
    }
    const enabled = w?.plugin?.isEnabled?.() ?? false;
    expect(failed !== undefined || !enabled, 'a bare unknown code must not be accepted').to.equal(true);
  });
});
