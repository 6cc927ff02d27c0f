import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import multer from 'multer';
import type { RouteDeps } from '.';
import { requirePermission, type UnionUser } from '../auth';
import { Conflict, Invalid, NotFound, UnionError } from '../errors';
import { t, type Lang } from '../i18n';
import { getImport, listImports, listRows, type ImportRecord, type StoredRow } from '../services/imports';
import { peopleById } from '../services/ledger';
import { LedgerFileError, startCommit, startImport } from '../sync/ledger-import';
import { IMPORTABLE, REJECTED, ROW_CLASSES, type RowClass } from '../sync/ledger-match';
import { describeReason, writeRejectsCsv, writeRejectsXlsx } from '../sync/ledger-rejects';
import { renderPage } from '../views/render';
import { actorOf, flashFrom, lang, param, withFlash } from './helpers';
import { queryValidator } from './validate';

export const MAX_UPLOAD_MB = 10;
const PERMISSION = 'union.import.run';
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

const rowsQuery = queryValidator<{ class?: RowClass | 'rejected'; after?: number; limit: number }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    class: { enum: [...ROW_CLASSES, 'rejected'] },
    after: { type: 'integer', minimum: 0 },
    limit: { type: 'integer', minimum: 0, maximum: 1000, default: 200 },
    lang: { enum: ['zh-CN', 'en'] },
  },
});
const pageQuery = queryValidator<{ class?: RowClass | 'rejected'; after?: number }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    class: { enum: [...ROW_CLASSES, 'rejected'] },
    after: { type: 'integer', minimum: 0 },
    lang: { enum: ['zh-CN', 'en'] },
    flash: { type: 'string' },
    kind: { type: 'string' },
  },
  patternProperties: { '^v_': { type: 'string' } },
});

const idOf = (req: Request) => {
  const id = Number(param(req, 'id'));
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

export function importRoutes(deps: RouteDeps): Router {
  const r = express.Router();
  const { ctx } = deps;
  const run = requirePermission(PERMISSION);

  async function download(req: Request, res: Response, format: 'xlsx' | 'csv') {
    const imp = await getImport(ctx, idOf(req));
    if (!rowsReady(imp)) throw new Conflict('The dry run has not finished yet').because('import_busy');
    const name = encodeURIComponent(`${t(lang(res), 'imports.rejects.filename')}-${imp.id}.${format}`);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${name}`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      await writeRejectsCsv(ctx, imp, lang(res), res);
    } else {
      res.type(XLSX_TYPE);
      await writeRejectsXlsx(ctx, imp, lang(res), res);
    }
  }

  r.post('/api/imports', run, async (req, res) => {
    const imp = await startImport(ctx, actorOf(res), await uploadedFile(req, res));
    const rows = rowsReady(imp) ? await listRows(ctx, imp.id, { limit: 1000 }) : { items: [], nextAfter: null };
    res
      .status(imp.status === 'done' ? 201 : 202)
      .json({ ...importJson(imp), rows: rows.items.map((x) => rowJson(lang(res), x)), nextAfter: rows.nextAfter });
  });
  r.get('/api/imports', run, async (_req, res) => {
    res.json({ items: (await listImports(ctx, 50)).map(importJson) });
  });
  // Progress ({status, total, processed, counts}) and, once the dry run is done, its rows a page at a time.
  r.get('/api/imports/:id', run, async (req, res) => {
    const q = rowsQuery(req);
    const imp = await getImport(ctx, idOf(req));
    const rows = rowsReady(imp)
      ? await listRows(ctx, imp.id, { classes: classFilter(q.class), after: q.after, limit: q.limit })
      : { items: [], nextAfter: null };
    res.json({ ...importJson(imp), rows: rows.items.map((x) => rowJson(lang(res), x)), nextAfter: rows.nextAfter });
  });
  r.post('/api/imports/:id/commit', run, async (req, res) => {
    const imp = await startCommit(ctx, actorOf(res), idOf(req));
    res.status(imp.status === 'done' ? 200 : 202).json(importJson(imp));
  });
  r.get('/api/imports/:id/rejects.xlsx', run, (req, res) => download(req, res, 'xlsx'));
  r.get('/api/imports/:id/rejects.csv', run, (req, res) => download(req, res, 'csv'));

  /** Who uploaded, by name where the host knows the person (actors are employee ids). */
  async function namesOf(ids: string[]): Promise<(id: string | null) => string> {
    const people = await peopleById(ctx, [...new Set(ids)]);
    return (id) => (id ? (people.get(id)?.name ?? id) : '');
  }

  async function listPage(req: Request, res: Response, extra: { error?: string } = {}, status = 200) {
    const l = lang(res);
    const imps = await listImports(ctx, 20);
    const name = await namesOf(imps.map((i) => i.createdBy));
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
    renderPage(
      deps,
      req,
      res,
      'imports',
      { titleKey: 'imports.titles.list', navKey: 'union.imports', flash: flashFrom(req, res), maxMb: MAX_UPLOAD_MB, items, ...extra },
      status,
    );
  }

  r.get('/imports', run, (req, res) => listPage(req, res));
  r.post('/imports', run, async (req, res) => {
    let imp: ImportRecord;
    try {
      imp = await startImport(ctx, actorOf(res), await uploadedFile(req, res));
    } catch (err) {
      const key = fileProblemKey(err);
      if (!key) throw err;
      return listPage(req, res, { error: t(lang(res), key, { maxMb: MAX_UPLOAD_MB }) }, (err as UnionError).status);
    }
    res.redirect(303, `/union/imports/${imp.id}`);
  });

  r.get('/imports/:id', run, async (req, res) => {
    const q = pageQuery(req);
    const l = lang(res);
    const imp = await getImport(ctx, idOf(req));
    const page = rowsReady(imp)
      ? await listRows(ctx, imp.id, { classes: classFilter(q.class), after: q.after, limit: 200 })
      : { items: [], nextAfter: null };
    const committed = imp.phase === 'commit' && imp.status === 'done';
    const importable = sum(imp, IMPORTABLE);
    const name = await namesOf([imp.createdBy, imp.committedBy ?? imp.createdBy]);
    const qs = (c?: string) => `/union/imports/${imp.id}${c ? `?class=${c}` : ''}`;
    renderPage(deps, req, res, 'import', {
      titleKey: 'imports.titles.detail',
      navKey: 'union.imports',
      flash: flashFrom(req, res),
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
          label: t(l, committed && IMPORTABLE.has(c) ? `imports.importedClasses.${c}` : `imports.classes.${c}`),
          hint: t(l, `imports.classHints.${c}`),
          n: imp.counts[c],
          href: qs(c),
          active: q.class === c,
          badge: BADGE[c],
        })),
      ],
      rows: page.items.map((x) => ({
        ...x,
        badge: BADGE[x.class],
        reasonText: describeReason(l, x.reason),
        classLabel: t(l, committed && IMPORTABLE.has(x.class) ? `imports.importedClasses.${x.class}` : `imports.classes.${x.class}`),
        person: x.employee ? `${x.employee.name} (${x.employee.employeeNo})` : '',
      })),
      nextUrl: page.nextAfter ? `${qs(q.class)}${q.class ? '&' : '?'}after=${page.nextAfter}` : null,
    });
  });
  r.post('/imports/:id/commit', run, async (req, res) => {
    const imp = await startCommit(ctx, actorOf(res), idOf(req));
    const key = imp.status === 'done' ? 'imports.commit.done' : 'imports.commit.started';
    res.redirect(303, withFlash(`/union/imports/${imp.id}`, key, { imported: imp.result?.imported ?? 0 }));
  });
  return r;
}
