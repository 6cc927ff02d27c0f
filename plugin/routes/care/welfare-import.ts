import { action, page } from '../../areas/types';
import { t } from '../../i18n';
import { commitPayments, dryRunPayments, getImport, IMPORT_CLASSES, type ImportClass } from '../../services/care/payment-import';
import { getPlan } from '../../services/care/welfare';
import { withNames } from '../../services/care/group-lists';
import type { Ctx } from '../../context';
import { uploadedFile } from '../membership/uploads';
import { C } from './permissions';

const PERIOD = '^\\d{4}-(0[1-9]|1[0-2])$';
// The file comes as multipart; which plan and month it pays are in the address (the page's form puts them there).
const target = {
  type: 'object',
  required: ['planId', 'period'],
  additionalProperties: false,
  properties: { planId: { type: 'integer', minimum: 1 }, period: { type: 'string', pattern: PERIOD } },
};
const byId = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } } };
const rowsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    class: { enum: [...IMPORT_CLASSES] },
    afterLine: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
  },
};

type Target = { planId: number; period: string };
type ById = { id: string };
type RowsQuery = { class?: ImportClass; afterLine?: number; limit: number };

export const welfareImportEndpoints = [
  action<Record<string, string>, unknown, Target, { id: number }>({
    name: 'welfare.importDryRun',
    method: 'post',
    api: '/api/welfare/imports',
    form: '/welfare/imports',
    access: C.welfareManage,
    query: target,
    run: async ({ ctx, actor, query, req, res }) => dryRunPayments(ctx, actor, { ...query, file: await uploadedFile(req, res) }),
    json: (out) => ({ status: 201, body: out }),
    redirect: (out) => ({ to: `/union/welfare/imports/${out.id}` }),
  }),

  action<ById, unknown, RowsQuery>({
    name: 'welfare.import',
    method: 'get',
    api: '/api/welfare/imports/:id',
    access: C.welfareManage,
    params: byId,
    query: rowsQuery,
    run: ({ ctx, params, query }) =>
      getImport(ctx, Number(params.id), { limit: query.limit, afterLine: query.afterLine, cls: query.class }),
  }),

  action<ById, unknown, unknown, { recorded: number }>({
    name: 'welfare.importCommit',
    method: 'post',
    api: '/api/welfare/imports/:id/commit',
    form: '/welfare/imports/:id/commit',
    access: C.welfareManage,
    params: byId,
    run: ({ ctx, actor, params }) => commitPayments(ctx, actor, Number(params.id)),
    redirect: (out, { params }) => ({
      to: `/union/welfare/imports/${params.id}`,
      flash: 'care.import.committed',
      vars: { n: out.recorded },
    }),
  }),

  page<ById, RowsQuery>({
    name: 'welfare.importPage',
    path: '/welfare/imports/:id',
    access: C.welfareManage,
    navKey: 'union.welfare',
    titleKey: 'care.titles.import',
    view: 'care/import',
    params: byId,
    query: rowsQuery,
    async load({ ctx, lang, params, query }) {
      const imp = await getImport(ctx, Number(params.id), { limit: query.limit, afterLine: query.afterLine, cls: query.class });
      const plan = await getPlan(ctx, imp.planId);
      return {
        imp,
        plan: plan.name,
        counts: IMPORT_CLASSES.map((c) => ({ cls: c, n: imp.counts[c], label: t(lang, `care.import.class.${c}`) })),
        rows: (await namedRows(ctx, imp.rows)).map((r) => ({
          ...r,
          label: t(lang, `care.import.class.${r.class}`),
          why: r.reason ? t(lang, `care.import.reason.${r.reason.code}`, { ...r.reason }) : '',
        })),
        canCommit: imp.status === 'dry_run' && imp.counts.matched > 0,
      };
    },
  }),
];

/** The people a page of rows names, with names from the host (rows that name nobody keep empty ones). */
async function namedRows<T extends { employeeId: string | null }>(ctx: Ctx, rows: T[]) {
  const named = new Map(
    (
      await withNames(
        ctx,
        rows.filter((r) => r.employeeId).map((r) => ({ employeeId: r.employeeId! })),
      )
    ).map((n) => [n.employeeId, n]),
  );
  return rows.map((r) => ({
    ...r,
    name: named.get(r.employeeId ?? '')?.name ?? '',
    employeeNo: named.get(r.employeeId ?? '')?.employeeNo ?? '',
  }));
}
