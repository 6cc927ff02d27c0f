import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { HostEvent } from '../../plugin/host';
import { makeWorld, type RealTimeWorld } from '../helpers/harness';

const secret = 'whsec_' + Buffer.from('kill-the-host-mid-batch-key-0123').toString('base64');
const PEOPLE = 240;
const MOVED = 80;
const SENDERS = 32;

async function startHost(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(__dirname, '..', 'helpers', 'host-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, UNION_WEBHOOK_SECRET: secret },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the host process exited with ${code}`)));
  });
  return { child, port };
}

/** One signed delivery; resolves with the status, or null when no answer came (the connection died). */
function post(port: number, agent: http.Agent, e: HostEvent): Promise<{ status: number | null; outcome?: string }> {
  const body = JSON.stringify(e);
  const at = new Date();
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'webhook-id': e.id!,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(e.id!, at, body),
  };
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/union/hooks/employee-events', method: 'POST', agent, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? null, outcome: JSON.parse(Buffer.concat(parts).toString() || '{}').outcome }),
      );
      res.on('error', () => resolve({ status: null }));
    });
    req.on('error', () => resolve({ status: null }));
    req.end(body);
  });
}

describe('webhook batches survive the process being killed mid-batch', function () {
  this.timeout(180_000);
  let w: RealTimeWorld;
  const children: ChildProcess[] = [];
  before(async () => (w = await makeWorld({ fakeClock: false, env: { UNION_WEBHOOK_SECRET: secret } })));
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await w.close();
  });

  it('every event answered 2xx is applied after the restart; every unanswered one, redelivered, is applied once', async () => {
    const base = Date.now() - 10 * 60_000;
    const events: HostEvent[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const employeeId = `K${String(i).padStart(4, '0')}`;
      events.push({
        id: `kill_hire_${i}`,
        type: 'employee.hired',
        timestamp: new Date(base + i).toISOString(),
        data: { employeeId, departmentId: 'D01', hireDate: '2025-06-01' },
      });
      if (i < MOVED)
        events.push({
          id: `kill_move_${i}`,
          type: 'employee.transferred',
          timestamp: new Date(base + 60_000 + i).toISOString(),
          data: { employeeId, departmentId: 'D02' },
        });
    }

    const first = await startHost();
    children.push(first.child);
    const agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS });
    const answered = new Map<string, number | null>();
    let next = 0;
    let killed = false;
    let inFlightAtKill = 0;
    const inFlight = new Set<string>();
    const sender = async () => {
      while (!killed && next < events.length) {
        const e = events[next++];
        inFlight.add(e.id!);
        const r = await post(first.port, agent, e);
        inFlight.delete(e.id!);
        answered.set(e.id!, r.status);
        // Kill once a third has been answered: the batches being written then are cut off mid-way.
        if (!killed && [...answered.values()].filter((s) => s === 200).length >= events.length / 3) {
          killed = true;
          inFlightAtKill = inFlight.size;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    agent.destroy();
    expect(killed).to.equal(true);
    expect(inFlightAtKill, 'requests were in flight when the process died').to.be.greaterThan(0);

    const acknowledged = [...answered].filter(([, s]) => s === 200).map(([id]) => id);
    expect(acknowledged.length).to.be.at.least(events.length / 3);
    // Nothing acknowledged is lost: before any redelivery, each 2xx'd event is stored with its outcome.
    const stored = new Map<string, string>();
    for (const r of await w.db('union_events').select('id', 'outcome')) stored.set(r.id, r.outcome);
    for (const id of acknowledged) expect(stored.get(id), id).to.equal('applied');
    const hiredAndAcked = events.filter((e) => e.type === 'employee.hired' && answered.get(e.id!) === 200);
    const members = new Set(await w.db('union_memberships').pluck('employee_id'));
    for (const e of hiredAndAcked) expect(members.has(e.data.employeeId), e.data.employeeId).to.equal(true);

    // The sender redelivers everything that got no 2xx, plus a few that did (they are duplicates now).
    const second = await startHost();
    children.push(second.child);
    const again = new http.Agent({ keepAlive: true, maxSockets: SENDERS });
    const resend = [
      ...events.filter((e) => answered.get(e.id!) !== 200),
      ...events.filter((e) => answered.get(e.id!) === 200).slice(0, 10),
    ];
    const results = await Promise.all(resend.map((e) => post(second.port, again, e)));
    again.destroy();
    expect(results.map((r) => r.status)).to.deep.equal(resend.map(() => 200));
    expect(results.slice(-10).map((r) => r.outcome)).to.deep.equal(Array(10).fill('duplicate'));
    second.child.kill('SIGKILL');

    // Applied once: one stored event per id, one membership and one join per person, distinct numbers.
    const rows = await w.db('union_events').select('id', 'outcome');
    expect(rows.map((r) => r.id).sort()).to.deep.equal(events.map((e) => e.id).sort());
    expect(rows.filter((r) => r.outcome !== 'applied')).to.deep.equal([]);
    const joins = await w.db('union_membership_history').where({ to_status: 'active' }).whereNull('from_status').pluck('employee_id');
    expect(joins).to.have.length(PEOPLE);
    expect(new Set(joins).size).to.equal(PEOPLE);
    const numbers = await w.db('union_memberships').pluck('member_no');
    expect(new Set(numbers).size).to.equal(PEOPLE);
    const moved = await w.db('union_memberships').where({ department_id: 'D02' }).count({ n: '*' }).first();
    expect(Number(moved!.n)).to.equal(MOVED);
    const transfers = await w.db('union_membership_history').where({ reason: 'department_changed' }).count({ n: '*' }).first();
    expect(Number(transfers!.n)).to.be.at.most(MOVED); // a transfer folded before its join needs no transfer step
  });
});
