import { action, page } from '../../areas/types';
import { parsePeriod, PERIOD_PATTERN } from '../../services/desk/period';
import { viewerOf } from '../../services/desk/dashboard';
import { getReport, listReports, periodFile, reportFile, startReport, type ReportRow } from '../../services/desk/reports';
import { periodLabel } from '../../services/desk/report-pdf';
import { D } from './permissions';

const periodParams = { type: 'object', required: ['period'], properties: { period: { type: 'string', pattern: PERIOD_PATTERN } } };
const periodBody = {
  type: 'object',
  required: ['period'],
  additionalProperties: false,
  properties: { period: { type: 'string', pattern: PERIOD_PATTERN } },
};
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9]\\d{0,9}$' } } };
const formatQuery = {
  type: 'object',
  required: ['format'],
  additionalProperties: false,
  properties: { format: { enum: ['pdf', 'xlsx'] } },
};

const MIME = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
const fileName = (period: string, format: 'pdf' | 'xlsx') => encodeURIComponent(`工会工作报告-${period}.${format}`);

/** The period's report as a file (the kept one while current, else generated now). */
const periodDownload = (format: 'pdf' | 'xlsx') =>
  action<{ period: string }>({
    name: `desk.report.${format}`,
    method: 'get',
    api: `/api/reports/:period.${format}`,
    access: D.deskReport,
    params: periodParams,
    stream: true,
    async run({ ctx, user, params, res }) {
      const bytes = await periodFile(ctx, viewerOf(user), parsePeriod(params.period)!, format);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${fileName(params.period, format)}`);
      res.type(MIME[format]).send(bytes);
    },
  });

export const reportEndpoints = [
  periodDownload('pdf'),
  periodDownload('xlsx'),

  action({
    name: 'desk.reports',
    method: 'get',
    api: '/api/reports',
    access: D.deskReport,
    run: async ({ ctx, user }) => ({ items: await listReports(ctx, viewerOf(user)) }),
  }),

  action<Record<string, string>, { period: string }, unknown, ReportRow>({
    name: 'desk.reportStart',
    method: 'post',
    api: '/api/reports',
    form: '/desk/reports',
    access: D.deskReport,
    body: periodBody,
    run: ({ ctx, user, body }) => startReport(ctx, viewerOf(user), parsePeriod(body.period)!, { wait: false }),
    json: (out) => ({ status: 202, body: out }),
    redirect: (out, { lang }) => ({
      to: '/union/desk/reports',
      flash: 'desk.flash.started',
      vars: { period: periodLabel(parsePeriod(out.period)!, lang) },
    }),
  }),

  action<{ id: string }>({
    name: 'desk.report',
    method: 'get',
    api: '/api/reports/:id',
    access: D.deskReport,
    params: idParams,
    run: ({ ctx, user, params }) => getReport(ctx, viewerOf(user), Number(params.id)),
  }),

  action<{ id: string }, unknown, { format: 'pdf' | 'xlsx' }>({
    name: 'desk.reportFile',
    method: 'get',
    api: '/api/reports/:id/file',
    access: D.deskReport,
    params: idParams,
    query: formatQuery,
    stream: true,
    async run({ ctx, user, params, query, res }) {
      const f = await reportFile(ctx, viewerOf(user), Number(params.id), query.format);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${fileName(f.period, query.format)}`);
      res.type(MIME[query.format]).send(f.bytes);
    },
  }),

  page({
    name: 'desk.reportsPage',
    path: '/desk/reports',
    access: D.deskReport,
    navKey: 'union.deskReports',
    titleKey: 'desk.titles.reports',
    view: 'desk/reports',
    async load({ ctx, user, lang }) {
      const items = await listReports(ctx, viewerOf(user));
      const y = Number(ctx.today().slice(0, 4));
      return {
        items: items.map((r) => ({
          ...r,
          label: periodLabel(parsePeriod(r.period)!, lang),
          running: r.status === 'running',
          done: r.status === 'done',
        })),
        suggested: [ctx.today().slice(0, 7), `${y}-Q${Math.ceil(Number(ctx.today().slice(5, 7)) / 3)}`, String(y), String(y - 1)].map(
          (key) => ({
            key,
            label: periodLabel(parsePeriod(key)!, lang),
          }),
        ),
      };
    },
  }),
];
