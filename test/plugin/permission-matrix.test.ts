import { expect } from 'chai';
import { AREAS } from '../../plugin/areas';
import type { Endpoint } from '../../plugin/areas/types';
import { permissionsFor, rolesFor } from '../../plugin/auth';
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
  before(async () => (w = await makeWorld()));
  after(async () => w.close());

  it('covers every declared endpoint', () => {
    expect(ROUTES.length).to.be.greaterThan(30);
  });

  for (const [who, id, hostRoles] of PEOPLE) {
    it(`as ${who}: 403 exactly where the permission is missing, and never a 500`, async () => {
      const perms = permissionsFor(w.plugin.manifest, rolesFor(w.plugin.ctx.settings, hostRoles));
      const wrong: string[] = [];
      for (const r of ROUTES) {
        const res = await w.api[r.method](`/union${fill(r.path)}`)
          .set('Authorization', bearer(w.token(id, hostRoles)).Authorization)
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
