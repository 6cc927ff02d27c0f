import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

describe('grievances: joint handling sheets (会办单)', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 20, now: new Date('2025-09-29T02:00:00.000Z') })));
  after(async () => w.close());

  const emp = () => bearer(w.token('u_emp'));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const hr = () => bearer(w.token('E000001'));
  const safety = () => bearer(w.token('E000003'));

  it('departments in order, each with its deadline from its turn; only the current step’s staff see the case, without the filer', async () => {
    const id = (
      await w.api.post('/union/api/grievances').set(emp()).send({ category: 'labour_protection', content: '夜班无防护' }).expect(201)
    ).body.id;
    const plan = {
      steps: [
        { departmentId: 'D11', staffId: 'E000001', days: 2, asked: '排班表' },
        { departmentId: 'D02', staffId: 'E000003', days: 3, asked: '防护用品发放记录' },
      ],
    };
    const early = await w.api.post(`/union/api/grievances/${id}/joint-steps`).set(staff()).send(plan).expect(409);
    expect(early.body.error.details[0]).to.deep.equal({ path: 'status', message: 'received' });
    await w.api.post(`/union/api/grievances/${id}/updates`).set(staff()).send({ note: '发起会办' }).expect(200);
    await w.api.post(`/union/api/grievances/${id}/joint-steps`).set(emp()).send(plan).expect(403);
    await w.api.post(`/union/api/grievances/${id}/joint-steps`).set(hr()).send(plan).expect(404);
    const planned = await w.api.post(`/union/api/grievances/${id}/joint-steps`).set(staff()).send(plan).expect(201);
    // 2025-09-29 (Mon) + 2 working days: 09-30, then National Day until 10-08 → 10-09.
    expect(planned.body.steps.map((s: { dueDate: string | null }) => s.dueDate)).to.deep.equal(['2025-10-09', null]);
    expect(w.notify.calledWithMatch({ to: ['E000001'], template: 'union.grievance.jointStep' })).to.equal(true);
    await w.api.post(`/union/api/grievances/${id}/joint-steps`).set(staff()).send(plan).expect(409);

    const seen = await w.api.get(`/union/api/grievances/${id}`).set(hr()).expect(200);
    expect(seen.body).to.include({ content: '夜班无防护' });
    expect(seen.body.jointStep).to.include({ departmentId: 'D11', asked: '排班表' });
    expect(JSON.stringify(seen.body)).not.to.contain('u_emp');
    await w.api.get(`/union/api/grievances/${id}`).set(safety()).expect(404);
    await w.api.post(`/union/api/grievances/${id}/joint-steps/answer`).set(safety()).send({ note: 'x' }).expect(404);
    await w.api.get(`/union/grievances/${id}`).set(safety()).expect(404);

    w.clock.setSystemTime(new Date('2025-10-10T02:00:00.000Z')); // Friday; the next is the 调休 Saturday
    await w.api.post(`/union/api/grievances/${id}/joint-steps/answer`).set(hr()).send({ note: '排班表已附' }).expect(200);
    await w.api.get(`/union/api/grievances/${id}`).set(hr()).expect(404);
    const second = await w.api.get(`/union/api/grievances/${id}`).set(safety()).expect(200);
    // 10-10 + 3: 10-11 (调休 Saturday), 10-13, 10-14.
    expect(second.body.jointStep).to.include({ departmentId: 'D02', dueDate: '2025-10-14' });
    await w.api.post(`/union/api/grievances/${id}/joint-steps/answer`).set(safety()).send({ note: '已补发防护用品' }).expect(200);

    const full = await w.api.get(`/union/api/grievances/${id}`).set(staff()).expect(200);
    expect(full.body.jointSteps.map((s: { answer: string }) => s.answer)).to.deep.equal(['排班表已附', '已补发防护用品']);
    const reads = await w.db('union_grievance_reads').where({ grievance_id: id, relation: 'joint_step' }).pluck('reader_id');
    expect(reads).to.deep.equal(['E000001', 'E000003']);
    expect(
      await w.db('union_grievance_history').where({ grievance_id: id }).whereIn('action', ['joint_sheet', 'joint_answer']).pluck('action'),
    ).to.deep.equal(['joint_sheet', 'joint_answer', 'joint_answer']);
  });

  it('the step’s staff work it from a page: the content and their step, never an anonymous filer, and only the answer', async () => {
    const id = (
      await w.api
        .post('/union/api/grievances')
        .set(emp())
        .send({ category: 'labour_protection', content: '车间噪声超标', concerns: '三号线', anonymous: true })
        .expect(201)
    ).body.id;
    await w.api.post(`/union/api/grievances/${id}/updates`).set(staff()).send({ note: '发起会办' }).expect(200);
    const plan = { steps: [{ departmentId: 'D02', staffId: 'E000003', days: 3, asked: '噪声检测报告' }] };
    await w.api.post(`/union/api/grievances/${id}/joint-steps`).set(staff()).send(plan).expect(201);
    expect(w.notify.calledWithMatch({ to: ['E000003'], template: 'union.grievance.jointStep', link: `/union/grievances/${id}` })).to.equal(
      true,
    );

    // Their own list shows the step waiting for them; the case's other readers' lists do not.
    const mine = (await w.api.get('/union/grievances').set(safety()).expect(200)).text;
    expect(mine).to.contain(`data-testid="joint-task-${id}"`).and.to.contain('噪声检测报告');
    expect((await w.api.get('/union/grievances').set(hr()).expect(200)).text).not.to.contain(`joint-task-${id}`);

    const page = (await w.api.get(`/union/grievances/${id}`).set(safety()).expect(200)).text;
    expect(page).to.contain('data-testid="joint-step"').and.to.contain('车间噪声超标').and.to.contain('噪声检测报告');
    expect(page).to.contain(`action="/union/grievances/${id}/joint-steps/answer"`);
    const filer = await w.db('host_employees').where({ id: 'u_emp' }).first();
    for (const secret of ['u_emp', filer.name, filer.phone].filter(Boolean)) expect(page).not.to.contain(secret);
    // Nothing more than the answer: no other moves, no files, no history.
    for (const other of ['/route', '/updates', '/resolve', '/reassign', '/evidence', '/request-info', 'case-history'])
      expect(page).not.to.contain(other);
    for (const [path, body] of [
      ['updates', { note: 'x' }],
      ['route', { path: 'policy' }],
      ['resolve', { outcome: 'resolved', note: 'x' }],
    ] as const)
      await w.api.post(`/union/api/grievances/${id}/${path}`).set(safety()).send(body).expect(404);
    await w.api.get(`/union/api/grievances/${id}/reads`).set(safety()).expect(403);

    // Outsiders still get 404, on the page and on the answer.
    await w.api.get(`/union/grievances/${id}`).set(hr()).expect(404);
    await w.api.post(`/union/grievances/${id}/joint-steps/answer`).type('form').set(hr()).send({ note: 'x' }).expect(404);

    const answered = await w.api
      .post(`/union/grievances/${id}/joint-steps/answer`)
      .type('form')
      .set(safety())
      .send({ note: '已检测，超标' });
    expect(answered.status).to.equal(303);
    expect(answered.headers.location).to.match(/^\/union\/grievances\?flash=/);
    await w.api.get(`/union/grievances/${id}`).set(safety()).expect(404);
    expect((await w.api.get('/union/grievances').set(safety()).expect(200)).text).not.to.contain(`joint-task-${id}`);
    const full = await w.api.get(`/union/api/grievances/${id}`).set(staff()).expect(200);
    expect(full.body.jointSteps[0]).to.include({ answer: '已检测，超标', staffId: 'E000003' });
  });

  it('the answer through the API returns the step, not the other departments’ answers', async () => {
    const id = (await w.api.post('/union/api/grievances').set(emp()).send({ category: 'other', content: '两部门会办' }).expect(201)).body
      .id;
    await w.api.post(`/union/api/grievances/${id}/updates`).set(staff()).send({ note: '发起会办' }).expect(200);
    const plan = {
      steps: [
        { departmentId: 'D11', staffId: 'E000001', days: 2 },
        { departmentId: 'D02', staffId: 'E000003', days: 2 },
      ],
    };
    await w.api.post(`/union/api/grievances/${id}/joint-steps`).set(staff()).send(plan).expect(201);
    await w.api.post(`/union/api/grievances/${id}/joint-steps/answer`).set(hr()).send({ note: '人力答复：内部' }).expect(200);
    const second = await w.api.post(`/union/api/grievances/${id}/joint-steps/answer`).set(safety()).send({ note: '安全答复' }).expect(200);
    expect(second.body.step).to.include({ departmentId: 'D02', answer: '安全答复' });
    expect(JSON.stringify(second.body)).not.to.contain('人力答复');
  });
});
