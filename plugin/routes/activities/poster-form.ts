import multer from 'multer';
import type { Request, RequestHandler, Response } from 'express';
import { action, type Call } from '../../areas/types';
import { Invalid, UnionError } from '../../errors';
import { t } from '../../i18n';
import { POSTER_MAX_BYTES, POSTER_PROBLEMS, savePoster } from '../../services/activities/poster';
import { AP } from './permissions';
import { idParams } from './schemas';
import { editPage } from './staff-pages';

const FIELD = 'poster';
const parse = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: POSTER_MAX_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 1024 },
}).single(FIELD);

const FORM_PATH = /^\/activities\/manage\/\d{1,10}\/poster$/;

/** Reads the multipart body once (the form carries its CSRF token inside it); a refusal waits for the route. */
function readUpload(req: Request, res: Response): Promise<void> {
  if (res.locals.posterRead) return Promise.resolve();
  res.locals.posterRead = true;
  return new Promise((resolve) =>
    parse(req, res, (err?: unknown) => {
      if (err)
        res.locals.posterError =
          (err as { code?: string }).code === 'LIMIT_FILE_SIZE'
            ? new UnionError(413, 'too_large', `${FIELD}: ${POSTER_PROBLEMS.tooLarge}`, [
                { path: FIELD, message: POSTER_PROBLEMS.tooLarge },
              ])
            : Invalid.field(FIELD, POSTER_PROBLEMS.missing);
      resolve();
    }),
  );
}

/** Before the CSRF check, on the poster form's path only, for signed-in callers. */
export function posterUploads(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !FORM_PATH.test(req.path) || !req.is('multipart/form-data') || !res.locals.user) return next();
    readUpload(req, res).then(() => next(), next);
  };
}

/** A refused poster: the edit page again, the problem named next to the poster field, in the page's language. */
function posterProblem(err: unknown, call: Call<{ id: string }>) {
  if (!(err instanceof UnionError) || (err.status !== 400 && err.status !== 413)) return null;
  const message = err.details?.[0]?.message ?? '';
  const kind =
    (Object.keys(POSTER_PROBLEMS) as Array<keyof typeof POSTER_PROBLEMS>).find((k) => POSTER_PROBLEMS[k] === message) ?? 'missing';
  const limitMb = POSTER_MAX_BYTES / 1024 / 1024;
  return { page: editPage, extra: { posterError: t(call.lang, `activities.poster.errors.${kind}`, { mb: limitMb }) }, status: err.status };
}

/** 海报 from the edit page: a multipart form with a preview; the same checks and re-encoding as the API. */
export const posterFormEndpoints = [
  action<{ id: string }>({
    name: 'activities.posterForm',
    method: 'post',
    form: '/activities/manage/:id/poster',
    access: AP.activitiesManage,
    params: idParams,
    async run({ ctx, actor, params, req, res }) {
      if (req.is('multipart/form-data')) await readUpload(req, res);
      if (res.locals.posterError) throw res.locals.posterError as UnionError;
      if (!req.file?.buffer.length) throw Invalid.field(FIELD, POSTER_PROBLEMS.missing);
      return savePoster(ctx, actor, Number(params.id), req.file.buffer, FIELD);
    },
    redirect: (_out, { params }) => ({ to: `/union/activities/manage/${params.id}`, flash: 'activities.flash.posterSaved' }),
    formError: posterProblem,
  }),
];
