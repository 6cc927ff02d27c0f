import { action, page } from '../../areas/types';
import { createOrg, deleteOrg, listOrgs, mapDepartments } from '../../services/orgs';
import { listOfficers, officersByOrg, officersFromForm, setOfficers, type Officer } from '../../services/officers';
import { NotFound } from '../../errors';
import { P } from './permissions';

type OrgBody = { name: string; parentId: number | string; level: 'branch' | 'group' };
const orgBody = {
  type: 'object',
  required: ['name', 'parentId', 'level'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    parentId: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: '^[1-9][0-9]*$' },
      ],
    },
    level: { enum: ['branch', 'group'] },
  },
};
type MapBody = { departmentIds: string[] | string };
const mapBody = {
  type: 'object',
  required: ['departmentIds'],
  additionalProperties: false,
  properties: {
    departmentIds: {
      anyOf: [
        { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 64 } },
        { type: 'string', minLength: 1, maxLength: 64 },
      ],
    },
  },
};
/** The API sends the officers as a list; the form as two fields of employee ids separated by spaces. */
type OfficersBody = { officers?: Officer[]; chairIds?: string; staffIds?: string };
const officersBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    officers: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        required: ['employeeId', 'role'],
        additionalProperties: false,
        properties: { employeeId: { type: 'string', minLength: 1, maxLength: 64 }, role: { enum: ['staff', 'chair'] } },
      },
    },
    chairIds: { type: 'string', maxLength: 2000 },
    staffIds: { type: 'string', maxLength: 2000 },
  },
};
type ById = { id: string };
const orgId = (raw: string) => {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new NotFound('No such union org');
  return id;
};
const asList = (v: string[] | string) => (Array.isArray(v) ? v : [v]);
const saved = () => ({ to: '/union/orgs', flash: 'members.orgs.saved' });

export const orgEndpoints = [
  action({
    name: 'orgs.list',
    method: 'get',
    api: '/api/orgs',
    access: P.membersRead,
    run: async ({ ctx }) => ({ items: await listOrgs(ctx) }),
  }),

  action<ById, OrgBody>({
    name: 'orgs.create',
    method: 'post',
    api: '/api/orgs',
    form: '/orgs',
    access: P.orgsManage,
    body: orgBody,
    run: async ({ ctx, actor, user, body }) => ({
      id: await createOrg(ctx, actor, { ...body, parentId: Number(body.parentId) }, user.scope),
    }),
    json: (out) => ({ status: 201, body: out }),
    redirect: saved,
  }),

  action<ById, MapBody>({
    name: 'orgs.mapDepartments',
    method: 'put',
    api: '/api/orgs/:id/departments',
    form: '/orgs/:id/departments',
    access: P.orgsManage,
    body: mapBody,
    async run({ ctx, actor, user, params, body }) {
      await mapDepartments(ctx, actor, orgId(params.id), asList(body.departmentIds), user.scope);
      return { ok: true };
    },
    redirect: saved,
  }),

  action<ById>({
    name: 'orgs.delete',
    method: 'delete',
    api: '/api/orgs/:id',
    access: P.orgsManage,
    async run({ ctx, actor, user, params }) {
      await deleteOrg(ctx, actor, orgId(params.id), user.scope);
    },
    json: () => ({ status: 204, body: undefined }),
  }),

  action<ById>({
    name: 'orgs.officers',
    method: 'get',
    api: '/api/orgs/:id/officers',
    access: P.orgsManage,
    run: async ({ ctx, user, params }) => ({ items: await listOfficers(ctx, orgId(params.id), user.scope) }),
  }),

  action<ById, OfficersBody>({
    name: 'orgs.setOfficers',
    method: 'put',
    api: '/api/orgs/:id/officers',
    form: '/orgs/:id/officers',
    access: P.orgsManage,
    body: officersBody,
    async run({ ctx, actor, user, params, body }) {
      const officers = body.officers ?? officersFromForm(body.chairIds ?? '', body.staffIds ?? '');
      await setOfficers(ctx, actor, orgId(params.id), officers, user.scope);
      return { ok: true };
    },
    redirect: saved,
  }),

  page({
    name: 'orgs.page',
    path: '/orgs',
    access: P.orgsManage,
    navKey: 'union.orgs',
    titleKey: 'members.titles.orgs',
    view: 'membership/orgs',
    async load({ ctx }) {
      const [orgs, departments, officers] = await Promise.all([listOrgs(ctx), ctx.host.employees.departments(), officersByOrg(ctx)]);
      const deptName = new Map(departments.map((d) => [d.id, d.name]));
      const idsOf = (id: number, role: Officer['role']) =>
        (officers.get(id) ?? [])
          .filter((x) => x.role === role)
          .map((x) => x.employeeId)
          .join(' ');
      return {
        departments,
        orgs: orgs.map((o) => ({
          ...o,
          departmentNames: o.departments.map((d) => deptName.get(d) ?? d).join('、'),
          officers: officers.get(o.id) ?? [],
          chairIds: idsOf(o.id, 'chair'),
          staffIds: idsOf(o.id, 'staff'),
        })),
      };
    },
  }),
];
