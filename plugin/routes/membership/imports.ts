import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { UnionUser } from '../../auth';
import { action, page, type Call } from '../../areas/types';
import type { Ctx } from '../../context';
import { Conflict, Invalid, NotFound, UnionError } from '../../errors';
import { t, type Lang } from '../../i18n';
import { getImport, listImports, listRows, type ImportRecord, type StoredRow } from '../../services/imports';
import { peopleById } from '../../services/ledger';
import { LedgerFileError, startCommit, startImport } from '../../sync/ledger-import';
import { IMPORTABLE, REJECTED, ROW_CLASSES, type RowClass } from '../../sync/ledger-match';
import { describeReason, writeRejectsCsv, writeRejectsXlsx } from '../../sync/ledger-rejects';
import { P } from './permissions';

export const MAX_UPLOAD_MB = 10;
const PERMISSION = P.importRun;
const UPLOAD_PATHS = new Set(['/imports', '/api/imports']);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const parseMultipart = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8', // Chinese file names
  limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 5, parts: 8, fieldSize: 8 * 1024 },
}).single('file');

class UploadError extends Invalid {
  constructor(
    readonly problem: 'missing' | 'bad_upload',
    message: string,
  ) {
    super(`file: ${message}`, [{ path: 'file', message }]);
  }
}

function uploadError(err: unknown): UnionError {
  const code = (err as { code?: string }).code;
  if (code === 'LIMIT_FILE_SIZE') {
    return new UnionError(413, 'too_large', `file: is larger than ${MAX_UPLOAD_MB} MB`, [
      { path: 'file', message: `is larger than ${MAX_UPLOAD_MB} MB` },
    ]);
  }
  if (code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT')
    return new UploadError('missing', 'send one ledger file, in the form field "file"');
  return new UploadError('bad_upload', 'the multipart body could not be read');
}

/** Reads the multipart body once, whichever middleware asks first; a refusal waits for the route. */
function readUpload(req: Request, res: Response): Promise<void> {
  if (res.locals.uploadRead) return Promise.resolve();
  res.locals.uploadRead = true;
  return new Promise((resolve) => {
    parseMultipart(req, res, (err?: unknown) => {
      if (err) res.locals.uploadError = uploadError(err);
      resolve();
    });
  });
}

/**
 * Goes before the CSRF check: a plain HTML form carries its _csrf token inside the multipart body,
 * which has to be read for the check to see it. Only the upload paths, only for people allowed to
 * import; anyone else's body is left unread and the usual checks refuse the request.
 */
export function importUploads(): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.user as UnionUser | undefined;
    if (req.method !== 'POST' || !UPLOAD_PATHS.has(req.path) || !req.is('multipart/form-data') || !user?.permissions.has(PERMISSION))
      return next();
    readUpload(req, res).then(() => next(), next);
  };
}

async function uploadedFile(req: Request, res: Response): Promise<{ buffer: Buffer; filename: string }> {
  if (req.is('multipart/form-data')) await readUpload(req, res);
  if (res.locals.uploadError) throw res.locals.uploadError as UnionError;
  if (!req.file) throw new UploadError('missing', 'is required: send the ledger as multipart/form-data in the field "file"');
  return { buffer: req.file.buffer, filename: req.file.originalname };
}

/** The i18n key that tells a person what is wrong with their file, or null when the error is not about the file. */
function fileProblemKey(err: unknown): string | null {
  if (err instanceof LedgerFileError || err instanceof UploadError) return `imports.fileErrors.${err.problem}`;
  if (err instanceof UnionError && err.code === 'too_large') return 'imports.fileErrors.too_large';
  return null;
}

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
      return {
        imp,
        createdBy: name(imp.createdBy),
        committedBy: name(imp.committedBy),
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
          classLabel: classLabel(x.class),
          person: x.employee ? `${x.employee.name} (${x.employee.employeeNo})` : '',
        })),
        nextUrl: rows.nextAfter ? `${qs(q.class)}${q.class ? '&' : '?'}after=${rows.nextAfter}` : null,
      };
    },
  }),
];
