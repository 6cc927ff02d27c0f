import { action, page, type Call } from '../../areas/types';
import type { Ctx } from '../../context';
import { Conflict, NotFound, type UnionError } from '../../errors';
import { t, type Lang } from '../../i18n';
import { getImport, listImports, listRows, type ImportRecord, type StoredRow } from '../../services/imports';
import { peopleById } from '../../services/ledger';
import { startCommit, startImport } from '../../sync/ledger-import';
import { IMPORTABLE, REJECTED, ROW_CLASSES, type RowClass } from '../../sync/ledger-match';
import { describeReason, writeRejectsCsv, writeRejectsXlsx } from '../../sync/ledger-rejects';
import { P } from './permissions';
import { fileProblemKey, MAX_UPLOAD_MB, uploadedFile } from './uploads';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type RowsQuery = { class?: RowClass | 'rejected'; after?: number; limit: number };
const rowsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    class: { enum: [...ROW_CLASSES, 'rejected'] },
    after: { type: 'integer', minimum: 0 },
    limit: { type: 'integer', minimum: 0, maximum: 1000, default: 200 },
  },
};
type PageQuery = { class?: RowClass | 'rejected'; after?: number };
const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    class: { enum: [...ROW_CLASSES, 'rejected'] },
    after: { type: 'integer', minimum: 0 },
  },
};

type ById = { id: string };
const idOf = ({ params }: { params: ById }) => {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id < 1) throw new NotFound('No such import');
  return id;
};
const classFilter = (c?: RowClass | 'rejected'): RowClass[] | undefined => (c === 'rejected' ? [...REJECTED] : c ? [c] : undefined);
const sum = (imp: ImportRecord, set: ReadonlySet<RowClass>) => [...set].reduce((n, c) => n + imp.counts[c], 0);
/** Rows are there to show once the dry run has finished (the commit keeps them). */
const rowsReady = (imp: ImportRecord) => imp.phase === 'commit' || imp.status === 'done';

function importJson(imp: ImportRecord) {
  const { meta, ...rest } = imp;
  return { ...rest, columns: meta.columns, headerLine: meta.headerLine, encoding: meta.encoding, sheet: meta.sheet };
}

function rowJson(l: Lang, r: StoredRow) {
  return {
    line: r.line,
    seq: r.seq,
    name: r.name,
    employeeNo: r.employeeNo,
    department: r.department,
    memberNo: r.memberNo,
    joinedAt: r.joinedAt,
    class: r.class,
    reason: r.reason,
    message: describeReason(l, r.reason),
    employee: r.employee && { id: r.employee.id, employeeNo: r.employee.employeeNo, name: r.employee.name, exitDate: r.employee.exitDate },
  };
}

const BADGE: Record<RowClass, string> = {
  matched: 'active',
  exited: 'expired',
  already: 'retained',
  duplicate: 'rejected',
  conflict: 'pending',
  unmatched: 'pending',
  invalid: 'pending',
};

/** Who uploaded, by name where the host knows the person (actors are employee ids). */
async function namesOf(ctx: Ctx, ids: Array<string | null>): Promise<(id: string | null) => string> {
  const people = await peopleById(ctx, [...new Set(ids.filter((x): x is string => !!x))]);
  return (id) => (id ? (people.get(id)?.name ?? id) : '');
}

async function download({ ctx, lang: l, res, params }: Call<ById>, format: 'xlsx' | 'csv'): Promise<void> {
  const imp = await getImport(ctx, idOf({ params }));
  if (!rowsReady(imp)) throw new Conflict('The dry run has not finished yet').because('import_busy');
  const name = encodeURIComponent(`${t(l, 'imports.rejects.filename')}-${imp.id}.${format}`);
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8');
    await writeRejectsCsv(ctx, imp, l, res);
  } else {
    res.type(XLSX_TYPE);
    await writeRejectsXlsx(ctx, imp, l, res);
  }
}

/** The import's rows as the API and the page read them: a page at a time, once the dry run is done. */
async function rowsOf(ctx: Ctx, imp: ImportRecord, q: { class?: RowClass | 'rejected'; after?: number; limit: number }) {
  return rowsReady(imp)
    ? listRows(ctx, imp.id, { classes: classFilter(q.class), after: q.after, limit: q.limit })
    : { items: [] as StoredRow[], nextAfter: null };
}

const listPage = page({
  name: 'imports.listPage',
  path: '/imports',
  access: P.importRun,
  navKey: 'union.imports',
  titleKey: 'imports.titles.list',
  view: 'membership/imports',
  async load({ ctx, lang: l }) {
    const imps = await listImports(ctx, 20);
    const name = await namesOf(
      ctx,
      imps.map((i) => i.createdBy),
    );
    const items = imps.map((imp) => ({
      id: imp.id,
      filename: imp.filename,
      createdAt: imp.createdAt,
      createdBy: name(imp.createdBy),
      total: imp.total,
      state: `${t(l, `imports.phase.${imp.phase}`)} · ${t(l, `imports.status.${imp.status}`)}`,
      badge: imp.status === 'failed' ? 'pending' : imp.phase === 'commit' && imp.status === 'done' ? 'active' : '',
      importable: sum(imp, IMPORTABLE),
      rejected: sum(imp, REJECTED),
    }));
    return { maxMb: MAX_UPLOAD_MB, items };
  },
});

export const importEndpoints = [
  action({
    name: 'imports.upload',
    method: 'post',
    api: '/api/imports',
    form: '/imports',
    access: P.importRun,
    run: async ({ ctx, actor, req, res }) => startImport(ctx, actor, await uploadedFile(req, res)),
    async json(imp, { ctx, lang: l }) {
      const rows = await rowsOf(ctx, imp, { limit: 1000 });
      return {
        status: imp.status === 'done' ? 201 : 202,
        body: { ...importJson(imp), rows: rows.items.map((x) => rowJson(l, x)), nextAfter: rows.nextAfter },
      };
    },
    redirect: (imp) => ({ to: `/union/imports/${imp.id}` }),
    // The form shows the list again, saying what is wrong with the file in the reader's language.
    formError(err, { lang: l }) {
      const key = fileProblemKey(err);
      return key ? { page: listPage, extra: { error: t(l, key, { maxMb: MAX_UPLOAD_MB }) }, status: (err as UnionError).status } : null;
    },
  }),

  action({
    name: 'imports.list',
    method: 'get',
    api: '/api/imports',
    access: P.importRun,
    run: async ({ ctx }) => ({ items: (await listImports(ctx, 50)).map(importJson) }),
  }),

  // Progress ({status, total, processed, counts}) and, once the dry run is done, its rows a page at a time.
  action<ById, unknown, RowsQuery>({
    name: 'imports.read',
    method: 'get',
    api: '/api/imports/:id',
    access: P.importRun,
    query: rowsQuery,
    async run({ ctx, lang: l, params, query }) {
      const imp = await getImport(ctx, idOf({ params }));
      const rows = await rowsOf(ctx, imp, query);
      return { ...importJson(imp), rows: rows.items.map((x) => rowJson(l, x)), nextAfter: rows.nextAfter };
    },
  }),

  action<ById, unknown, unknown, ImportRecord>({
    name: 'imports.commit',
    method: 'post',
    api: '/api/imports/:id/commit',
    form: '/imports/:id/commit',
    access: P.importRun,
    run: ({ ctx, actor, params }) => startCommit(ctx, actor, idOf({ params })),
    json: (imp) => ({ status: imp.status === 'done' ? 200 : 202, body: importJson(imp) }),
    redirect: (imp) => ({
      to: `/union/imports/${imp.id}`,
      flash: imp.status === 'done' ? 'imports.commit.done' : 'imports.commit.started',
      vars: { imported: imp.result?.imported ?? 0 },
    }),
  }),

  action<ById>({
    name: 'imports.rejectsXlsx',
    method: 'get',
    api: '/api/imports/:id/rejects.xlsx',
    access: P.importRun,
    stream: true,
    run: (call) => download(call, 'xlsx'),
  }),

  action<ById>({
    name: 'imports.rejectsCsv',
    method: 'get',
    api: '/api/imports/:id/rejects.csv',
    access: P.importRun,
    stream: true,
    run: (call) => download(call, 'csv'),
  }),

  listPage,

  page<ById, PageQuery>({
    name: 'imports.detail',
    path: '/imports/:id',
    access: P.importRun,
    navKey: 'union.imports',
    titleKey: 'imports.titles.detail',
    view: 'membership/import',
    query: pageQuery,
    async load({ ctx, lang: l, params, query: q }) {
      const imp = await getImport(ctx, idOf({ params }));
      const rows = await rowsOf(ctx, imp, { class: q.class, after: q.after, limit: 200 });
      const committed = imp.phase === 'commit' && imp.status === 'done';
      const importable = sum(imp, IMPORTABLE);
      const name = await namesOf(ctx, [imp.createdBy, imp.committedBy ?? imp.createdBy]);
      const qs = (c?: string) => `/union/imports/${imp.id}${c ? `?class=${c}` : ''}`;
      const classLabel = (c: RowClass) => t(l, committed && IMPORTABLE.has(c) ? `imports.importedClasses.${c}` : `imports.classes.${c}`);
      // A retiree's row is kept as 保留会籍, not ended: its label says so before and after the commit.
      const rowLabel = (c: RowClass, retired: boolean) =>
        c === 'exited' && retired ? t(l, committed ? 'imports.importedClasses.retired' : 'imports.classes.retired') : classLabel(c);
      return {
        imp,
        createdBy: name(imp.createdBy),
        committedBy: name(imp.committedBy),
        resultText: imp.result && t(l, 'imports.detail.result', { ...imp.result, retained: imp.result.retained ?? 0 }),
        state: `${t(l, `imports.phase.${imp.phase}`)} · ${t(l, `imports.status.${imp.status}`)}`,
        inProgress: imp.status === 'queued' || imp.status === 'running',
        progressTitle: t(l, 'imports.progress.title', { phase: t(l, `imports.phase.${imp.phase}`) }),
        pct: imp.total ? Math.round((imp.processed / imp.total) * 100) : 0,
        failed: imp.status === 'failed',
        committed,
        dryRunDone: imp.phase === 'dry_run' && imp.status === 'done',
        rowsReady: rowsReady(imp),
        canCommit:
          importable > 0 && ((imp.phase === 'dry_run' && imp.status === 'done') || (imp.phase === 'commit' && imp.status === 'failed')),
        nothingToImport: importable === 0 && imp.phase === 'dry_run' && imp.status === 'done',
        importable,
        hasRejects: rowsReady(imp) && sum(imp, REJECTED) > 0,
        classes: [
          { key: '', label: t(l, 'imports.detail.all'), n: imp.total, href: qs(), active: !q.class, badge: '' },
          ...ROW_CLASSES.map((c) => ({
            key: c,
            label: classLabel(c),
            hint: t(l, `imports.classHints.${c}`),
            n: imp.counts[c],
            href: qs(c),
            active: q.class === c,
            badge: BADGE[c],
          })),
        ],
        rows: rows.items.map((x) => ({
          ...x,
          badge: BADGE[x.class],
          reasonText: describeReason(l, x.reason),
          classLabel: rowLabel(x.class, x.employee?.retired ?? false),
          person: x.employee ? `${x.employee.name} (${x.employee.employeeNo})` : '',
        })),
        nextUrl: rows.nextAfter ? `${qs(q.class)}${q.class ? '&' : '?'}after=${rows.nextAfter}` : null,
      };
    },
  }),
];
