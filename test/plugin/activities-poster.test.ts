import { expect } from 'chai';
import sharp from 'sharp';
import { makeWorld, type World } from '../helpers/harness';
import { as, employed, newActivity, staff } from '../helpers/activities';

async function photo(format: 'png' | 'jpeg' | 'webp', width = 2400): Promise<Buffer> {
  const img = sharp({ create: { width, height: 1200, channels: 3, background: { r: 200, g: 20, b: 40 } } }).withMetadata({
    exif: { IFD0: { Copyright: 'secret-gps-and-camera' } },
  });
  return (format === 'png' ? img.png() : format === 'jpeg' ? img.jpeg() : img.webp()).toBuffer();
}

describe('activities: posters', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld({ employees: 20 })));
  afterEach(async () => w.close());

  it('checked by its bytes, re-encoded without metadata, stored in the database, shown only to those who may see the activity', async () => {
    const [e1] = await employed(w, 1);
    const open = await newActivity(w, { audience: { kind: 'employed' } });
    const membersOnly = await newActivity(w);
    const put = (id: number, body: Buffer, who = staff(w)) =>
      w.api.put(`/union/api/activities/${id}/poster`).set(who).set('Content-Type', 'application/octet-stream').send(body);

    const notImage = await put(open.id, Buffer.from('<svg onload="alert(1)"></svg>'));
    expect(notImage.status).to.equal(400);
    expect(notImage.body.error.details[0].path).to.equal('body');
    expect((await put(open.id, await photo('png'), as(w, e1))).status).to.equal(403);
    expect((await put(open.id, Buffer.alloc(6 * 1024 * 1024, 1))).status).to.equal(413);
    expect(await w.db('union_activity_posters')).to.have.length(0);

    const ok = await put(open.id, await photo('png'));
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ width: 1600, mime: 'image/jpeg' });
    await put(membersOnly.id, await photo('webp', 800)).expect(200);
    const stored = await w.db('union_activity_posters').where({ activity_id: open.id }).first();
    const meta = await sharp(stored.bytes as Buffer).metadata();
    expect(meta.format).to.equal('jpeg');
    expect(meta.exif).to.equal(undefined);

    const seen = await w.api.get(`/union/api/activities/${open.id}/poster`).set(as(w, e1)).expect(200);
    expect(seen.headers['content-type']).to.equal('image/jpeg');
    await w.api.get(`/union/api/activities/${membersOnly.id}/poster`).set(as(w, e1)).expect(404);
    await w.api.get(`/union/api/activities/${membersOnly.id}/poster`).set(staff(w)).expect(200);
    const page = await w.api
      .get(`/union/activities/${open.id}`)
      .set('Cookie', `hr_session=${w.token(e1)}`)
      .expect(200);
    expect(page.text).to.contain(`src="/union/api/activities/${open.id}/poster"`);
    expect(await w.db('union_audit').where({ action: 'activity.poster' })).to.have.length(2);
  });

  it('the edit page uploads a poster with a multipart form (CSRF token inside), shows it, and names the field when refused', async () => {
    const { id } = await newActivity(w, { audience: { kind: 'employed' } });
    const cookie = `hr_session=${w.token('u_staff', ['employee', 'union_staff'])}`;
    const edit = await w.api.get(`/union/activities/manage/${id}?lang=zh-CN`).set('Cookie', cookie).expect(200);
    expect(edit.text).to.contain('enctype="multipart/form-data"').and.contain('name="poster"').and.contain('data-testid="no-poster"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(edit.text)![1];
    const send = (bytes: Buffer, name: string, token = csrf) =>
      w.api
        .post(`/union/activities/manage/${id}/poster?lang=zh-CN`)
        .set('Cookie', cookie)
        .field('_csrf', token)
        .attach('poster', bytes, name);

    // Without the token, refused; nothing stored.
    expect((await send(await photo('png'), 'a.png', 'x'.repeat(csrf.length))).status).to.equal(403);
    // A script named like a picture: the page again, 400, the poster field named in Chinese, nothing stored.
    const bad = await send(Buffer.from('<svg onload="alert(1)"></svg>'), 'evil.png');
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('data-testid="poster-error"').and.contain('海报').and.contain('这个文件不是图片');
    expect(bad.text).to.contain('aria-invalid="true"');
    const gif = await send(
      await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
        .gif()
        .toBuffer(),
      'a.gif',
    );
    expect(gif.status).to.equal(400);
    expect(gif.text).to.contain('只接受 JPEG、PNG 或 WebP 图片');
    const huge = await send(Buffer.alloc(6 * 1024 * 1024, 1), 'big.jpg');
    expect(huge.status).to.equal(413);
    expect(huge.text).to.contain('图片超过 5 MB');
    expect(await w.db('union_activity_posters')).to.have.length(0);

    const ok = await send(await photo('jpeg'), 'poster.jpg');
    expect(ok.status).to.equal(303);
    expect(ok.headers.location).to.match(new RegExp(`^/union/activities/manage/${id}`));
    const after = await w.api.get(`/union/activities/manage/${id}`).set('Cookie', cookie).expect(200);
    const src = /id="poster-preview"[^>]*src="([^"]+)"/.exec(after.text)![1];
    expect(src).to.match(new RegExp(`^/union/api/activities/${id}/poster\\?v=\\d+$`));
    await w.api.get(src).set('Cookie', cookie).expect(200).expect('Content-Type', 'image/jpeg');
    expect(await w.db('union_audit').where({ action: 'activity.poster' })).to.have.length(1);
  });
});
