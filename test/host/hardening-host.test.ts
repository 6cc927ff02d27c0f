import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import request from 'supertest';
import { createKnex } from '../../examples/host/db';
import { createLogger } from '../../examples/host/logger';
import { ADMIN, resetHostTables, testDb, testHost } from './helpers';

const hire = (i: number) => ({
  name: `并发${i}`,
  departmentId: 'D01',
  gender: i % 2 ? 'M' : 'F',
  birthDate: '1990-01-01',
  hireDate: '2026-11-23',
  phone: `1390000${String(i).padStart(4, '0')}`,
});

async function thirtyHiresAtOnce(db: Knex): Promise<void> {
  const host = await testHost(db);
  try {
    const before = Number((await db('host_employees').count({ n: '*' }).first())!.n);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => request(host.app).post('/hr/api/employees').set('Authorization', ADMIN()).send(hire(i))),
    );
    expect(answers.map((a) => a.status)).to.deep.equal(Array(30).fill(201));
    const ids = answers.map((a) => a.body.id as string);
    expect(new Set(ids).size).to.equal(30);
    expect(Number((await db('host_employees').count({ n: '*' }).first())!.n)).to.equal(before + 30);
    const rows = await db('host_employees').whereIn('id', ids).select('id', 'employee_no', 'name');
    expect(rows).to.have.length(30);
    for (const r of rows) expect(r.employee_no).to.equal(`EM${r.id.slice(1)}`);
    // The numbers continue the seeded ones without gaps: each hire took the next in turn.
    const numbers = ids.map((id) => Number(id.slice(1))).sort((a, b) => a - b);
    expect(numbers[29] - numbers[0]).to.equal(29);
  } finally {
    await host.close();
  }
}

describe('reference host: thirty hires at once (HR API)', () => {
  it('on MySQL: all succeed with distinct ids', async () => {
    const db = testDb();
    try {
      await resetHostTables(db, 200);
      await thirtyHiresAtOnce(db);
      // An E-number loaded by other means (a CSV import) is stepped over, not collided with.
      await db('host_employees').insert({
        ...(await db('host_employees').where({ id: 'E000001' }).first()),
        id: 'E000900',
        employee_no: 'EM000900',
      });
      const host = await testHost(db);
      try {
        const next = await request(host.app).post('/hr/api/employees').set('Authorization', ADMIN()).send(hire(99)).expect(201);
        expect(next.body.id).to.equal('E000901');
      } finally {
        await host.close();
      }
    } finally {
      await resetHostTables(db, -1);
      await db.destroy();
    }
  });

  it('on SQLite: all succeed with distinct ids', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-hires-'));
    const db = createKnex(`sqlite:${path.join(dir, 'host.sqlite')}`);
    try {
      await resetHostTables(db, 200);
      await thirtyHiresAtOnce(db);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reference host: privacy in operations', () => {
  let db: Knex;
  before(() => (db = testDb()));
  afterEach(async () => resetHostTables(db, -1));
  after(async () => db.destroy());

  it('a 500 is logged by its shape: no SQL, no values, one short line', async () => {
    await resetHostTables(db, 20);
    // A column narrower than the API allows makes the database itself refuse the row (a real driver error).
    await db('host_employees').update({ email: null });
    await db.schema.alterTable('host_employees', (t) => t.string('email', 8).nullable().alter());
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const host = await testHost(db, { logger: createLogger('info', sink) });
    try {
      const planted = 'zhang.secret.person@example.com';
      await request(host.app)
        .post('/hr/api/employees?q=张秘密')
        .set('Authorization', ADMIN())
        .send({ ...hire(1), email: planted })
        .expect(500);
      const failure = lines.find((l) => l.includes('request failed'));
      expect(failure, lines.join('\n')).to.be.a('string');
      expect(failure).not.to.contain(planted);
      expect(failure).not.to.contain('13900000001');
      expect(failure).not.to.contain('张秘密');
      expect(failure!.toLowerCase()).not.to.contain('insert into');
      expect(failure!.length).to.be.below(1500);
      const err = JSON.parse(failure!).err;
      expect(err).to.include({ code: 'ER_DATA_TOO_LONG', table: 'host_employees' });
      expect(err.reason).to.match(/column 'email'/);
    } finally {
      await host.close();
    }
  });

  it('behind a TLS proxy (TRUST_PROXY) the session cookie is Secure; without the setting it is not', async () => {
    await resetHostTables(db, 20);
    const signIn = (app: Express.Application) =>
      request(app as never)
        .post('/login')
        .set('X-Forwarded-Proto', 'https')
        .type('form')
        .send({ id: 'admin', next: '/' })
        .expect(303);
    const proxied = await testHost(db, { env: { TRUST_PROXY: '1' } });
    const direct = await testHost(db, { env: {} });
    try {
      const secure = (await signIn(proxied.app)).headers['set-cookie'] as unknown as string[];
      expect(secure.find((c) => c.startsWith('hr_session='))).to.match(/;\s*Secure/i);
      const plain = (await signIn(direct.app)).headers['set-cookie'] as unknown as string[];
      expect(plain.find((c) => c.startsWith('hr_session='))).not.to.match(/;\s*Secure/i);
    } finally {
      await proxied.close();
      await direct.close();
    }
  });

  it('HR pages and APIs that carry personal data are not stored by caches', async () => {
    await resetHostTables(db, 20);
    const host = await testHost(db);
    try {
      const res = await request(host.app).get('/hr/api/employees/E000001').set('Authorization', ADMIN()).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      const css = await request(host.app).get('/host/assets/host.css');
      if (css.status === 200) expect(css.headers['cache-control']).to.contain('max-age');
    } finally {
      await host.close();
    }
  });
});
