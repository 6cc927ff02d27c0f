import { expect } from 'chai';
import { AREAS } from '../../plugin/areas';
import type { Endpoint } from '../../plugin/areas/types';
import { bearer, makeWorld, type World } from '../helpers/harness';

/**
 * Every endpoint and page of every area, called as each kind of person. Generated from the areas'
 * declarations, so a new endpoint is in the matrix the day it is declared: one whose guard is missing
 * or wrong fails here. An allowed caller may still get 400/404/409 for an empty request, never 403 or 500.
 */
const PEOPLE: Array<[who: string, id: string, hostRoles: string[]]> = [
  ['employee', 'u_emp', ['employee']],
  ['someone HR does not know', 'stranger', ['employee']],
  ['union staff', 'u_staff', ['employee', 'union_staff']],
  ["a branch's staff", 'BRANCH_STAFF', ['employee', 'union_staff']],
  ['union chair', 'u_chair', ['employee', 'union_chair']],
  ['administrator', 'admin', ['admin']],
];

const SAMPLE: Record<string, string> = { employeeId: 'u_emp', id: '1', voteId: '1' };
const fill = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => SAMPLE[name] ?? '1');

interface Route {
  name: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  access: string;
}

function routesOf(e: Endpoint): Route[] {
  if (e.kind === 'page') return [{ name: e.name, method: 'get', path: e.path, access: e.access }];
  return [
    ...(e.api ? [{ name: e.name, method: e.method, path: e.api, access: e.access }] : []),
    ...(e.form ? [{ name: `${e.name} (form)`, method: 'post' as const, path: e.form, access: e.access }] : []),
  ];
}

const ROUTES = AREAS.flatMap((a) => a.endpoints.flatMap(routesOf));

describe('permission matrix: every endpoint and page as every role', function () {
  this.timeout(120_000);
  let w: World;
  let branchStaff = '';
  // A branch union (D05) with a staff member working there, so the matrix covers scoped staff too.
  before(async () => {
    w = await makeWorld();
    const chair = bearer(w.token('u_chair', ['employee', 'union_chair']));
    const root = (await w.db('union_orgs').whereNull('parent_id').first('id')).id as number;
    const { body } = await w.api.post('/union/api/orgs').set(chair).send({ name: '销售分会', parentId: root, level: 'branch' }).expect(201);
    await w.api
      .put(`/union/api/orgs/${body.id}/departments`)
      .set(chair)
      .send({ departmentIds: ['D05'] })
      .expect(200);
    branchStaff = (
      await w.db('host_employees').where({ department_id: 'D05', status: 'employed' }).where('id', 'like', 'E%').orderBy('id').first('id')
    ).id;
    await w.db('host_user_roles').insert({ user_id: branchStaff, role: 'union_staff' });
  });
  after(async () => w.close());

  it('covers every declared endpoint', () => {
    expect(ROUTES.length).to.be.greaterThan(30);
  });

  for (const [who, id, hostRoles] of PEOPLE) {
    it(`as ${who}: 403 exactly where the permission is missing, and never a 500`, async () => {
      const auth = bearer(w.token(id === 'BRANCH_STAFF' ? branchStaff : id, hostRoles)).Authorization;
      // What this person may do now, as the module decides it (roles, current standing, scope).
      const perms = new Set<string>((await w.api.get('/union/api/me').set('Authorization', auth).expect(200)).body.permissions);
      const wrong: string[] = [];
      for (const r of ROUTES) {
        const res = await w.api[r.method](`/union${fill(r.path)}`)
          .set('Authorization', auth)
          .set('Accept', r.path.startsWith('/api/') ? 'application/json' : 'text/html')
          .send({});
        const allowed = r.access === 'signedIn' || perms.has(r.access);
        if (allowed ? res.status === 403 || res.status === 401 : res.status !== 403)
          wrong.push(`${r.method.toUpperCase()} ${r.path} (${r.name}): ${res.status}`);
        if (res.status >= 500) wrong.push(`${r.method.toUpperCase()} ${r.path} (${r.name}): ${res.status} ${res.text.slice(0, 120)}`);
      }
      expect(wrong, `${who}: ${wrong.join('\n')}`).to.deep.equal([]);
    });
  }

  it('without a token: 401 for the API, the host login for pages', async () => {
    const wrong: string[] = [];
    for (const r of ROUTES) {
      const res = await w.api[r.method](`/union${fill(r.path)}`).send({});
      const page = !r.path.startsWith('/api/') && r.method === 'get';
      if (page ? res.status !== 302 || !String(res.headers.location).startsWith('/login') : res.status !== 401)
        wrong.push(`${r.method.toUpperCase()} ${r.path}: ${res.status}`);
    }
    expect(wrong).to.deep.equal([]);
  });
});
