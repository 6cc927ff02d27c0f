import { expect } from 'chai';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';
import { onAssigneeExit } from '../../plugin/services/grievances/exits';

describe('grievances: an assignee who leaves hands their cases on', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 40 })));
  after(async () => w.close());
  beforeEach(() => w.notify.resetHistory());

  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const admin = () => bearer(w.token('admin', ['admin']));
  const file = async (category: string, content: string) =>
    (
      await w.api
        .post('/union/api/grievances')
        .set(bearer(w.token('u_emp')))
        .send({ category, content })
        .expect(201)
    ).body;
  const name = (category: string, staffIds: string[]) =>
    w.api.put(`/union/api/grievance-categories/${category}`).set(chair()).send({ staffIds }).expect(200);
  const assignees = async (ids: number[]) => w.db('union_grievances').whereIn('id', ids).orderBy('id').pluck('assignee_id');
  const exit = (id: string, exitDate = TODAY) =>
    w.api.post(`/hr/api/employees/${id}/exit`).set(admin()).send({ exitDate, reason: 'resigned' });

  it('the host’s exit moves the leaver’s open cases to the least-loaded remaining staff, with history, audit and a notice', async () => {
    await name('wages_benefits', ['E000001', 'E000002', 'E000005']);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await file('wages_benefits', `工资 ${i}`)).id);
    const before = await assignees(ids);
    const leaversCases = ids.filter((_, i) => before[i] === 'E000001');
    expect(leaversCases).to.have.length(2);
    // One of the leaver's cases is closed already: it stays as it was.
    const [closed, open] = leaversCases;
    await w.db('union_grievances').where({ id: closed }).update({ status: 'closed' });
    w.notify.resetHistory();

    await exit('E000001').expect(200);
    const after = await assignees(ids);
    expect(after[ids.indexOf(closed)]).to.equal('E000001');
    const successor = after[ids.indexOf(open)];
    expect(['E000002', 'E000005']).to.include(successor);
    expect(after.filter((a) => a === 'E000001')).to.have.length(1);
    expect(await w.db('union_grievance_history').where({ grievance_id: open, action: 'reassign_exit' }).pluck('actor')).to.have.length(1);
    expect(
      await w.db('union_audit').where({ entity: 'grievance', entity_id: String(open), action: 'grievance.reassign_exit' }),
    ).to.have.length(1);
    expect(w.notify.calledWithMatch({ to: [successor], template: 'union.grievance.assigned', link: `/union/grievances/${open}` })).to.equal(
      true,
    );
    // The new assignee works the case; the leaver no longer sees it.
    await w.api
      .get(`/union/api/grievances/${open}`)
      .set(bearer(w.token(successor, ['employee', 'union_staff'])))
      .expect(200);
    const page = (await w.api.get(`/union/grievances/${open}`).set(chair()).expect(200)).text;
    expect(page).to.contain('承办人离职，已转交');

    // The same event again, twice at once: nothing moves twice, nobody is told twice.
    w.notify.resetHistory();
    const event = { id: 'dup-exit-1', type: 'employee.exited', data: { employeeId: 'E000001', exitDate: TODAY } };
    await Promise.all([onAssigneeExit(w.plugin.ctx, event), onAssigneeExit(w.plugin.ctx, event)]);
    await onAssigneeExit(w.plugin.ctx, event);
    expect(await w.db('union_grievance_history').whereIn('grievance_id', ids).where({ action: 'reassign_exit' })).to.have.length(1);
    expect(w.notify.called).to.equal(false);
  });

  it('with no other staff for the category, the chair takes the cases', async () => {
    await name('other', ['E000003']);
    const { id } = await file('other', '其他');
    expect((await assignees([id]))[0]).to.equal('E000003');
    await exit('E000003').expect(200);
    expect((await assignees([id]))[0]).to.equal('u_chair');
    expect(w.notify.calledWithMatch({ to: ['u_chair'], template: 'union.grievance.assigned' })).to.equal(true);
  });

  it('an exit dated later moves nothing now; the overdue job moves the cases on the day', async () => {
    await name('housing_commute', ['E000006', 'E000007']);
    const { id } = await file('housing_commute', '班车');
    const first = (await assignees([id]))[0];
    const other = first === 'E000006' ? 'E000007' : 'E000006';
    await exit(first, '2026-11-25').expect(200);
    expect((await assignees([id]))[0]).to.equal(first);
    w.clock.setSystemTime(new Date('2026-11-25T02:00:00.000Z'));
    const ran = await w.plugin.runJob('grievances-overdue', { trigger: 'button', actor: { id: 'u_chair', kind: 'user' } });
    expect(ran).to.deep.include({ ran: true });
    expect((await assignees([id]))[0]).to.equal(other);
    expect(
      await w.db('union_grievance_history').where({ grievance_id: id, action: 'reassign_exit', actor: 'job:grievances-overdue' }),
    ).to.have.length(1);
  });
});
