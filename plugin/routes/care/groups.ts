import { action, page } from '../../areas/types';
import { t } from '../../i18n';
import { groupCounts, groupMembers } from '../../services/care/groups';
import { exportGroup, withNames } from '../../services/care/group-lists';
import { sendGroupNotice } from '../../services/care/group-notices';
import { careSettings, GROUP_CODES, type GroupCode } from '../../services/care/settings';
import { C } from './permissions';

const byCode = { type: 'object', required: ['code'], properties: { code: { enum: [...GROUP_CODES] } } };
const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    after: { type: 'string', minLength: 1, maxLength: 64 },
  },
};

// The API names several groups; the group page's form posts its own code as one string.
const noticeBody = {
  type: 'object',
  required: ['groups', 'title', 'body'],
  additionalProperties: false,
  properties: {
    groups: {
      anyOf: [
        { type: 'array', minItems: 1, maxItems: GROUP_CODES.length, uniqueItems: true, items: { enum: [...GROUP_CODES] } },
        { enum: [...GROUP_CODES] },
      ],
    },
    title: { type: 'string', minLength: 1, maxLength: 100 },
    body: { type: 'string', minLength: 1, maxLength: 2000 },
  },
};

type ByCode = { code: GroupCode };
type NoticeBody = { groups: GroupCode[] | GroupCode; title: string; body: string };
type PageQuery = { limit: number; after?: string };

export const groupEndpoints = [
  action({
    name: 'care.groups',
    method: 'get',
    api: '/api/service-groups',
    access: C.careRead,
    run: ({ ctx }) => groupCounts(ctx),
  }),

  action<ByCode, unknown, PageQuery>({
    name: 'care.groupMembers',
    method: 'get',
    api: '/api/service-groups/:code/members',
    access: C.careRead,
    params: byCode,
    query: pageQuery,
    async run({ ctx, params, query }) {
      const page = await groupMembers(ctx, params.code, { limit: query.limit, after: query.after });
      return { items: await withNames(ctx, page.items), nextAfter: page.nextAfter };
    },
  }),

  action<ByCode>({
    name: 'care.groupExport',
    method: 'get',
    api: '/api/service-groups/:code/export',
    access: C.careExport,
    params: byCode,
    stream: true,
    async run({ ctx, lang, params, res }) {
      const name = encodeURIComponent(`${t(lang, `care.groups.${params.code}.name`)}-${ctx.today()}.xlsx`);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await exportGroup(ctx, params.code, lang, res);
    },
  }),

  action<Record<string, string>, NoticeBody, unknown, { recipients: number; sent: number }>({
    name: 'care.groupNotice',
    method: 'post',
    api: '/api/service-groups/notices',
    form: '/care/groups/notices',
    access: C.careNotify,
    body: noticeBody,
    run: ({ ctx, actor, body }) =>
      sendGroupNotice(ctx, actor, { ...body, groups: Array.isArray(body.groups) ? body.groups : [body.groups] }),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out, { body }) => ({
      to: `/union/care/groups/${Array.isArray(body.groups) ? body.groups[0] : body.groups}`,
      flash: 'care.groups.notified',
      vars: { count: out.recipients },
    }),
  }),

  page({
    name: 'care.groupsPage',
    path: '/care/groups',
    access: C.careRead,
    navKey: 'union.careGroups',
    titleKey: 'care.titles.groups',
    view: 'care/groups',
    async load({ ctx, lang }) {
      const services = careSettings(ctx).groupServices;
      const counts = await groupCounts(ctx);
      return {
        groups: counts.map((g) => ({ ...g, services: services[g.code] || t(lang, `care.groups.${g.code}.services`) })),
      };
    },
  }),

  page<ByCode, PageQuery>({
    name: 'care.groupPage',
    path: '/care/groups/:code',
    access: C.careRead,
    navKey: 'union.careGroups',
    titleKey: 'care.titles.group',
    view: 'care/group',
    params: byCode,
    query: pageQuery,
    async load({ ctx, lang, params, query }) {
      const page = await groupMembers(ctx, params.code, { limit: query.limit, after: query.after });
      return {
        code: params.code,
        services: careSettings(ctx).groupServices[params.code] || t(lang, `care.groups.${params.code}.services`),
        people: await withNames(ctx, page.items),
        nextAfter: page.nextAfter,
      };
    },
  }),
];
