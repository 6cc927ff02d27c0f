import multer from 'multer';
import type { Request, RequestHandler, Response } from 'express';
import { action } from '../../areas/types';
import { UnionError, Invalid } from '../../errors';
import { addEvidence, MAX_FILE_MB, MAX_FILES, readEvidence } from '../../services/grievances/evidence';
import * as S from './schemas';

const parse = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: 1, fields: 3, parts: 4, fieldSize: 1024 },
}).single('file');

const EVIDENCE_PATH = /^\/(api\/)?grievances\/\d{1,10}\/evidence$/;

// Filing with evidence: the case's fields and up to MAX_FILES files in the field "files", in one submission.
const parseFiling = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: MAX_FILES, fields: 8, fieldSize: 64 * 1024 },
}).array('files', MAX_FILES);
const FILING_PATH = /^\/(api\/)?grievances$/;

const tooLarge = () =>
  new UnionError(413, 'too_large', `files: a file is larger than ${MAX_FILE_MB} MB`, [
    { path: 'files', message: `a file is larger than ${MAX_FILE_MB} MB` },
  ]);

/** Reads a filing's multipart body; a refusal (too many, too large) is the answer, before anything is written. */
function readFiling(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    parseFiling(req, res, (err?: unknown) => {
      if (!err) return resolve();
      const code = (err as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') return reject(tooLarge());
      if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE')
        return reject(Invalid.field('files', `at most ${MAX_FILES} files, in the form field "files"`));
      reject(Invalid.field('files', 'the form could not be read'));
    }),
  );
}

/** The files that came with a filing (none for a JSON or plain form filing). */
export function filingUploads(req: Request): Array<{ buffer: Buffer; originalname: string }> {
  return Array.isArray(req.files) ? req.files : [];
}

/** Reads the multipart body once (a form carries its CSRF token inside it); a refusal waits for the route. */
function readUpload(req: Request, res: Response): Promise<void> {
  if (res.locals.evidenceRead) return Promise.resolve();
  res.locals.evidenceRead = true;
  return new Promise((resolve) =>
    parse(req, res, (err?: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        res.locals.evidenceError =
          code === 'LIMIT_FILE_SIZE'
            ? new UnionError(413, 'too_large', `file: is larger than ${MAX_FILE_MB} MB`, [
                { path: 'file', message: `is larger than ${MAX_FILE_MB} MB` },
              ])
            : Invalid.field('file', 'send one file in the form field "file"');
      }
      resolve();
    }),
  );
}

/** Before the CSRF check, on the evidence and filing paths only, for signed-in callers. */
export function evidenceUploads(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !res.locals.user) return next();
    if (FILING_PATH.test(req.path)) return void readFiling(req, res).then(() => next(), next);
    if (!EVIDENCE_PATH.test(req.path)) return next();
    readUpload(req, res).then(() => next(), next);
  };
}

export const evidenceEndpoints = [
  action<S.ById>({
    name: 'grievances.addEvidence',
    method: 'post',
    api: '/api/grievances/:id/evidence',
    form: '/grievances/:id/evidence',
    access: 'signedIn',
    params: S.byId,
    async run({ ctx, user, params, req, res }) {
      if (req.is('multipart/form-data')) await readUpload(req, res);
      if (res.locals.evidenceError) throw res.locals.evidenceError as UnionError;
      if (!req.file) throw Invalid.field('file', 'is required: send it as multipart/form-data in the field "file"');
      return addEvidence(ctx, user, Number(params.id), req.file);
    },
    json: (out) => ({ status: 201, body: out }),
    redirect: (_out, { params }) => ({ to: `/union/grievances/${params.id}`, flash: 'grievances.flash.saved' }),
  }),

  action<{ id: string; fileId: string }>({
    name: 'grievances.readEvidence',
    method: 'get',
    api: '/api/grievances/:id/evidence/:fileId',
    access: 'signedIn',
    params: {
      type: 'object',
      required: ['id', 'fileId'],
      additionalProperties: false,
      properties: { id: S.byId.properties.id, fileId: S.byId.properties.id },
    },
    stream: true,
    async run({ ctx, user, params, res }) {
      const file = await readEvidence(ctx, user, Number(params.id), Number(params.fileId));
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'private, no-store');
      res.type(file.mime).send(file.content);
    },
  }),
];
