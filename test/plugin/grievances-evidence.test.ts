import { expect } from 'chai';
import { sniff } from '../../plugin/services/grievances/evidence';
import { bearer, makeWorld, type World } from '../helpers/harness';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');

describe('grievances: evidence files', () => {
  let w: World;
  before(async () => (w = await makeWorld({ employees: 20 })));
  after(async () => w.close());

  const emp = () => bearer(w.token('u_emp'));
  const staff = () => bearer(w.token('u_staff', ['employee', 'union_staff']));
  const upload = (id: number, who: ReturnType<typeof emp>, bytes: Buffer, name: string) =>
    w.api.post(`/union/api/grievances/${id}/evidence`).set(who).attach('file', bytes, name);

  it('knows JPEG, PNG and PDF by their first bytes, nothing else', () => {
    expect([sniff(PNG), sniff(JPG), sniff(PDF)]).to.deep.equal(['image/png', 'image/jpeg', 'application/pdf']);
    expect(sniff(Buffer.from('<html><script>'))).to.equal(null);
    expect(sniff(Buffer.from('GIF89a'))).to.equal(null);
    expect(sniff(Buffer.alloc(0))).to.equal(null);
  });

  it('up to 5 files, checked by their bytes and size, served only to those who may see the case', async () => {
    const id = (await w.api.post('/union/api/grievances').set(emp()).send({ category: 'other', content: '附证据' }).expect(201)).body.id;
    const fake = await upload(id, emp(), Buffer.from('<script>alert(1)</script>'), 'photo.png').expect(400);
    expect(fake.body.error.details[0].path).to.equal('file');
    await w.api.post(`/union/api/grievances/${id}/evidence`).set(emp()).expect(400);
    const big = await upload(id, emp(), Buffer.concat([JPG, Buffer.alloc(5 * 1024 * 1024)]), 'big.jpg').expect(413);
    expect(big.body.error.details[0].path).to.equal('file');
    await upload(id, bearer(w.token('E000002')), PNG, 'x.png').expect(404);

    const first = await upload(id, emp(), PNG, '../../工资条.png').expect(201);
    expect(first.body).to.include({ name: '工资条.png', mime: 'image/png', size: PNG.length });
    for (const [b, n] of [
      [JPG, 'a.jpg'],
      [PDF, 'b.pdf'],
      [PNG, 'c.png'],
    ] as const)
      await upload(id, emp(), b, n).expect(201);
    await upload(id, staff(), PDF, 'staff.pdf').expect(201);
    const sixth = await upload(id, emp(), PNG, 'd.png').expect(409);
    expect(sixth.body.error.details[0].path).to.equal('file');
    expect(await w.db('union_grievance_files').where({ grievance_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 5 });
    expect(
      await w
        .db('union_audit')
        .where({ action: 'grievance.evidence', entity_id: String(id) })
        .count({ n: '*' })
        .first(),
    ).to.deep.equal({ n: 5 });

    const url = `/union/api/grievances/${id}/evidence/${first.body.id}`;
    const got = await w.api.get(url).set(staff()).buffer(true).expect(200);
    expect(got.headers['content-type']).to.equal('image/png');
    expect(got.headers['x-content-type-options']).to.equal('nosniff');
    expect(got.headers['content-disposition']).to.contain('attachment');
    expect(Buffer.compare(got.body as Buffer, PNG)).to.equal(0);
    await w.api.get(url).set(emp()).expect(200);
    for (const outsider of [bearer(w.token('E000002')), bearer(w.token('admin', ['employee', 'admin']))])
      await w.api.get(url).set(outsider).expect(404);
    await w.api.get(`/union/api/grievances/${id}/evidence/999999`).set(emp()).expect(404);
    expect((await w.api.get(`/union/api/grievances/${id}`).set(emp()).expect(200)).body.files).to.have.length(5);
  });

  it('a closed case takes no more files', async () => {
    const id = (await w.api.post('/union/api/grievances').set(emp()).send({ category: 'other', content: '办结后' }).expect(201)).body.id;
    await w.api.post(`/union/api/grievances/${id}/updates`).set(staff()).send({ note: '处理' }).expect(200);
    await w.api.post(`/union/api/grievances/${id}/resolve`).set(staff()).send({ outcome: 'resolved', note: '好' }).expect(200);
    await w.api.post(`/union/api/grievances/${id}/follow-up`).set(emp()).send({ evaluation: 'satisfied' }).expect(200);
    const refused = await upload(id, emp(), PNG, 'late.png').expect(409);
    expect(refused.body.error.details[0]).to.deep.equal({ path: 'status', message: 'closed' });
  });

  describe('at filing time, in the same submission', () => {
    const counts = async () => ({
      cases: Number((await w.db('union_grievances').count({ n: '*' }).first())?.n),
      files: Number((await w.db('union_grievance_files').count({ n: '*' }).first())?.n),
      history: Number((await w.db('union_grievance_history').count({ n: '*' }).first())?.n),
      audit: Number((await w.db('union_audit').count({ n: '*' }).first())?.n),
      tallies: Number((await w.db('union_grievance_tallies').sum({ n: 'n' }).first())?.n ?? 0),
    });
    const filing = (who = emp()) =>
      w.api.post('/union/grievances').set(who).field('category', 'wages_benefits').field('content', '加班费，附工资条');

    it('the phone form files the case with its files: one transaction, the files served to who may see the case', async () => {
      const page = (await w.api.get('/union/grievances').set(emp()).expect(200)).text;
      expect(page).to.contain('enctype="multipart/form-data"').and.to.contain('name="files" multiple');
      const res = await filing().attach('files', PNG, '工资条.png').attach('files', PDF, '考勤.pdf').expect(303);
      const id = Number(/grievances\/(\d+)/.exec(res.headers.location)![1]);
      const files = await w.db('union_grievance_files').where({ grievance_id: id }).orderBy('id').select('name', 'mime', 'uploaded_by');
      expect(files).to.deep.equal([
        { name: '工资条.png', mime: 'image/png', uploaded_by: 'u_emp' },
        { name: '考勤.pdf', mime: 'application/pdf', uploaded_by: 'u_emp' },
      ]);
      expect(await w.db('union_grievance_history').where({ grievance_id: id }).orderBy('id').pluck('action')).to.deep.equal([
        'file',
        'evidence',
        'evidence',
      ]);
      const seen = await w.api.get(`/union/api/grievances/${id}`).set(staff()).expect(200);
      expect(seen.body.files.map((f: { name: string }) => f.name)).to.deep.equal(['工资条.png', '考勤.pdf']);
      await w.api
        .get(`/union/api/grievances/${id}/evidence/${seen.body.files[0].id}`)
        .set(bearer(w.token('E000002')))
        .expect(404);
      // The JSON API takes the same multipart filing and answers 201.
      const api = await w.api
        .post('/union/api/grievances')
        .set(emp())
        .field('category', 'other')
        .field('content', '接口附件')
        .attach('files', JPG, 'a.jpg')
        .expect(201);
      expect(api.body).to.include({ status: 'received' });
      expect(await w.db('union_grievance_files').where({ grievance_id: api.body.id }).pluck('name')).to.deep.equal(['a.jpg']);
    });

    it('one bad file refuses the whole filing with 400 naming it, and nothing is written', async () => {
      const before = await counts();
      w.notify.resetHistory();
      const fake = await w.api
        .post('/union/api/grievances')
        .set(emp())
        .field('category', 'wages_benefits')
        .field('content', '一件假图片')
        .attach('files', PNG, 'ok.png')
        .attach('files', Buffer.from('<script>alert(1)</script>'), 'photo.png')
        .expect(400);
      expect(fake.body.error.details[0].path).to.equal('files.1');
      const six = w.api.post('/union/api/grievances').set(emp()).field('category', 'other').field('content', '六件');
      for (let i = 0; i < 6; i++) six.attach('files', PNG, `${i}.png`);
      expect((await six.expect(400)).body.error.details[0].path).to.equal('files');
      const big = await w.api
        .post('/union/api/grievances')
        .set(emp())
        .field('category', 'other')
        .field('content', '太大')
        .attach('files', Buffer.concat([JPG, Buffer.alloc(5 * 1024 * 1024)]), 'big.jpg')
        .expect(413);
      expect(big.body.error.details[0].path).to.equal('files');
      const unknown = await w.api
        .post('/union/api/grievances')
        .set(emp())
        .field('category', 'nonsense')
        .field('content', 'x')
        .attach('files', PNG, 'ok.png')
        .expect(400);
      expect(unknown.body.error.details[0].path).to.equal('body.category');
      expect(await counts()).to.deep.equal(before);
      expect(w.notify.called).to.equal(false);
    });
  });
});
