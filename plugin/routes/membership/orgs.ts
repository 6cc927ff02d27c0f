import { action, page } from '../../areas/types';
import { createOrg, deleteOrg, listOrgs, mapDepartments } from '../../services/orgs';
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
    run: async ({ ctx, actor, body }) => ({ id: await createOrg(ctx, actor, { ...body, parentId: Number(body.parentId) }) }),
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
    async run({ ctx, actor, params, body }) {
      await mapDepartments(ctx, actor, orgId(params.id), asList(body.departmentIds));
      return { ok: true };
    },
    redirect: saved,
  }),

  action<ById>({
    name: 'orgs.delete',
    method: 'delete',
    api: '/api/orgs/:id',
    access: P.orgsManage,
    async run({ ctx, actor, params }) {
      await deleteOrg(ctx, actor, orgId(params.id));
    },
    json: () => ({ status: 204, body: undefined }),
  }),

  page({
    name: 'orgs.page',
    path: '/orgs',
    access: P.orgsManage,
    navKey: 'union.orgs',
    titleKey: 'members.titles.orgs',
    view: 'membership/orgs',
    async load({ ctx }) {
      const [orgs, departments] = await Promise.all([listOrgs(ctx), ctx.host.employees.departments()]);
      const deptName = new Map(departments.map((d) => [d.id, d.name]));
      return {
        departments,
        orgs: orgs.map((o) => ({ ...o, departmentNames: o.departments.map((d) => deptName.get(d) ?? d).join('、') })),
      };
    },
  }),
];
