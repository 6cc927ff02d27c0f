import { expect } from 'chai';
import { bearer, makeWorld, type World } from '../helpers/harness';

/**
 * Lawful votes on MySQL: the quorum is two thirds of ALL delegates, a resolution needs more than half of
 * ALL delegates, every delegate votes once however many requests arrive together, and a secret ballot
 * leaves nothing that links a choice to a person.
 */
describe('congress votes: quorum, majority, one ballot each, secrecy', function () {
  this.timeout(120_000);
  let w: World;
  let people: string[] = [];
  before(async () => {
    w = await makeWorld({ employees: 60 });
    people = (await w
      .db('host_employees')
      .where({ status: 'employed' })
      .where('id', 'like', 'E%')
      .orderBy('id')
      .limit(40)
      .pluck('id')) as string[];
  });
  after(async () => w.close());

  const chair = () => bearer(w.token('u_chair', ['employee', 'union_chair']));
  const as = (id: string) => bearer(w.token(id));
  const session = async (delegates: string[]) =>
    (await w.api.post('/union/api/congress/sessions').set(chair()).send({ title: '第五届职代会第二次会议', delegates }).expect(201)).body
      .id as number;
  const attend = (id: number, present: string[]) =>
    w.api.post(`/union/api/congress/sessions/${id}/attendance`).set(chair()).send({ present });
  const openVote = (id: number, secret = true) =>
    w.api.post(`/union/api/congress/sessions/${id}/votes`).set(chair()).send({ subject: '审议《薪酬分配方案》', secret });
  const ballot = (voteId: number, who: string, choice: string) =>
    w.api.post(`/union/api/congress/votes/${voteId}/ballots`).set(as(who)).send({ choice });
  const close = (voteId: number) => w.api.post(`/union/api/congress/votes/${voteId}/close`).set(chair()).expect(200);

  it('exactly two thirds present meets the quorum; one fewer does not (409 naming the quorum)', async () => {
    const d = people.slice(0, 6);
    const id = await session(d);
    expect((await attend(id, d.slice(0, 3)).expect(200)).body).to.deep.equal({ present: 3, total: 6, quorumMet: false });
    const refused = await openVote(id).expect(409);
    expect(refused.body.error.details[0].path).to.equal('quorum');
    expect((await attend(id, d.slice(0, 4)).expect(200)).body).to.deep.equal({ present: 4, total: 6, quorumMet: true });
    expect((await openVote(id).expect(201)).body.id).to.be.a('number');
  });

  it('nine delegates: six present is a quorum, five is not', async () => {
    const d = people.slice(0, 9);
    const id = await session(d);
    expect((await attend(id, d.slice(0, 5)).expect(200)).body.quorumMet).to.equal(false);
    await openVote(id).expect(409);
    expect((await attend(id, d.slice(0, 6)).expect(200)).body.quorumMet).to.equal(true);
  });

  it('exactly half of all delegates for fails; one more passes; the majority is of all delegates, not of those present', async () => {
    const d = people.slice(0, 6);
    const id = await session(d);
    await attend(id, d).expect(200);
    const half = (await openVote(id).expect(201)).body.id as number;
    for (const p of d.slice(0, 3)) await ballot(half, p, 'for').expect(201);
    for (const p of d.slice(3)) await ballot(half, p, 'against').expect(201);
    expect((await close(half)).body).to.deep.equal({ for: 3, against: 3, abstain: 0, delegates: 6, passed: false });

    const more = (await openVote(id).expect(201)).body.id as number;
    for (const p of d.slice(0, 4)) await ballot(more, p, 'for').expect(201);
    await ballot(more, d[4], 'abstain').expect(201);
    expect((await close(more)).body).to.deep.equal({ for: 4, against: 0, abstain: 1, delegates: 6, passed: true });

    // Four present (a quorum), three of them for: three quarters of those present, but only half of all.
    await attend(id, d.slice(0, 4)).expect(200);
    const few = (await openVote(id).expect(201)).body.id as number;
    for (const p of d.slice(0, 3)) await ballot(few, p, 'for').expect(201);
    await ballot(few, d[3], 'against').expect(201);
    expect((await close(few)).body).to.include({ for: 3, delegates: 6, passed: false });
  });

  it('a second ballot is 409, a non-delegate 403, an absent delegate 409, a ballot after the close 409', async () => {
    const d = people.slice(0, 3);
    const id = await session(d);
    await attend(id, d.slice(0, 2)).expect(200);
    const v = (await openVote(id).expect(201)).body.id as number;
    await ballot(v, d[0], 'for').expect(201);
    expect((await ballot(v, d[0], 'against').expect(409)).body.error.details[0].path).to.equal('ballot');
    await ballot(v, 'u_emp', 'for').expect(403);
    expect((await ballot(v, d[2], 'for').expect(409)).body.error.details[0].path).to.equal('present');
    await ballot(v, d[1], 'maybe').expect(400);
    await close(v);
    await ballot(v, d[1], 'for').expect(409);
    await w.api.post(`/union/api/congress/votes/${v}/close`).set(chair()).expect(409);
    expect(await w.db('union_congress_tallies').where({ vote_id: v }).sum({ n: 'count' }).first()).to.deep.include({ n: '1' });
  });

  it('one ballot per delegate when every delegate sends five at once', async () => {
    const d = people.slice(0, 30);
    const id = await session(d);
    await attend(id, d).expect(200);
    const v = (await openVote(id).expect(201)).body.id as number;
    const choices = ['for', 'against', 'abstain'];
    const requests = d.flatMap((p, i) => Array.from({ length: 5 }, (_x, k) => ballot(v, p, choices[(i + k) % 3])));
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).to.have.length(30);
    expect(statuses.filter((s) => s === 409)).to.have.length(120);
    expect(await w.db('union_congress_voters').where({ vote_id: v }).count({ n: '*' }).first()).to.deep.include({ n: 30 });
    const result = (await close(v)).body;
    expect(result.for + result.against + result.abstain).to.equal(30);
  });

  it('a secret ballot cannot be linked to a person: the tables, the API and the audit carry no link', async () => {
    const d = people.slice(0, 5);
    const id = await session(d);
    await attend(id, d).expect(200);
    const v = (await openVote(id).expect(201)).body.id as number;
    const chose: Record<string, string> = { [d[0]]: 'for', [d[1]]: 'against', [d[2]]: 'for', [d[3]]: 'abstain', [d[4]]: 'for' };
    for (const p of d) await ballot(v, p, chose[p]).expect(201);

    // The voters table: who voted, no choice. The tallies: a count per choice, no person, no time, no order.
    const voters = await w.db('union_congress_voters').where({ vote_id: v });
    expect(voters.map((r) => r.delegate_id).sort()).to.deep.equal([...d].sort());
    expect(voters.every((r) => r.choice === null)).to.equal(true);
    expect(await w.db('union_congress_tallies').where({ vote_id: v }).orderBy('choice').select('choice', 'count')).to.deep.equal([
      { choice: 'abstain', count: 1 },
      { choice: 'against', count: 1 },
      { choice: 'for', count: 3 },
    ]);
    const columns = async (table: string) =>
      (await w
        .db('information_schema.columns')
        .where({ table_schema: w.db.raw('database()'), table_name: table })
        .select('column_name as name', 'data_type as type', 'extra')) as Array<{
        name: string;
        type: string;
        extra: string;
      }>;
    const tallyCols = await columns('union_congress_tallies');
    expect(tallyCols.map((c) => c.name).sort()).to.deep.equal(['choice', 'count', 'vote_id']);
    const voterCols = await columns('union_congress_voters');
    expect(voterCols.map((c) => c.name).sort()).to.deep.equal(['choice', 'delegate_id', 'vote_id']);
    for (const c of [...tallyCols, ...voterCols]) {
      expect(c.extra.toLowerCase(), `${c.name} has no auto-increment or time default`).not.to.match(/auto_increment|current_timestamp/);
      expect(c.type, `${c.name} holds no time`).not.to.match(/date|time/);
    }

    // While open the chair sees turnout only; afterwards counts; nobody ever sees a person next to a choice.
    const live = (await w.api.get(`/union/api/congress/votes/${v}`).set(chair()).expect(200)).body;
    expect(live).to.include({ ballots: 5, status: 'open', result: null, live: null, rollCall: null });
    await close(v);
    const after = (await w.api.get(`/union/api/congress/votes/${v}`).set(as(d[0])).expect(200)).body;
    expect(after.result).to.deep.equal({ for: 3, against: 1, abstain: 1, delegates: 5, passed: true });
    expect(after.rollCall).to.equal(null);
    const text = JSON.stringify(after);
    for (const p of d) expect(text).not.to.contain(p);

    const audits = await w.db('union_audit').where({ action: 'congress.ballot', entity_id: String(v) });
    expect(audits).to.have.length(5);
    for (const a of audits) expect(JSON.stringify(a)).not.to.match(/"(for|against|abstain)"/);
  });

  it('an open (roll-call) vote shows who chose what once it closes', async () => {
    const d = people.slice(0, 3);
    const id = await session(d);
    await attend(id, d).expect(200);
    const v = (await openVote(id, false).expect(201)).body.id as number;
    await ballot(v, d[0], 'for').expect(201);
    expect((await w.api.get(`/union/api/congress/votes/${v}`).set(chair()).expect(200)).body.live).to.deep.equal({
      for: 1,
      against: 0,
      abstain: 0,
    });
    await close(v);
    expect((await w.api.get(`/union/api/congress/votes/${v}`).set(as(d[1])).expect(200)).body.rollCall).to.deep.equal([
      { delegateId: d[0], choice: 'for' },
    ]);
  });

  it('staff and employees may not run a session; bad input names the field and writes nothing', async () => {
    const staff = bearer(w.token('u_staff', ['employee', 'union_staff']));
    await w.api.post('/union/api/congress/sessions').set(staff).send({ title: 'x', delegates: [] }).expect(403);
    await w.api.post('/union/api/congress/sessions').set(as('u_emp')).send({ title: 'x', delegates: [] }).expect(403);
    const before = await w.db('union_congress_sessions').count({ n: '*' }).first();
    const bad = await w.api
      .post('/union/api/congress/sessions')
      .set(chair())
      .send({ title: '会议', delegates: [people[0], 'nobody'] })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal('body.delegates.1');
    expect(await w.db('union_congress_sessions').count({ n: '*' }).first()).to.deep.equal(before);
    const id = await session(people.slice(0, 3));
    expect((await attend(id, ['u_emp']).expect(400)).body.error.details[0].path).to.equal('body.present.0');
  });
});
