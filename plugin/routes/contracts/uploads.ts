import multer from 'multer';
import type { Request, RequestHandler, Response } from 'express';
import { action } from '../../areas/types';
import { Invalid, UnionError } from '../../errors';
import { addFile, MAX_FILE_MB, readFile, type Owner } from '../../services/contracts/files';
import { backWithReason } from './forms';
import { K } from './permissions';
import * as S from './schemas';

const parse = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: 1, fields: 3, parts: 4, fieldSize: 1024 },
}).single('file');

const UPLOAD_PATH =
  /^\/(api\/)?contracts\/(items\/\d{1,10}|checks\/\d{1,10}\/items\/\d{1,10}|shortfalls\/\d{1,10})\/evidence$|^\/api\/shortfalls\/\d{1,10}\/evidence$/;

/** Reads the multipart body once (as grievances' evidence does); a refusal waits for the route, naming the field. */
function readUpload(req: Request, res: Response): Promise<void> {
  if (res.locals.contractUploadRead) return Promise.resolve();
  res.locals.contractUploadRead = true;
  return new Promise((resolve) =>
    parse(req, res, (err?: unknown) => {
      if (err)
        res.locals.contractUploadError =
          (err as { code?: string }).code === 'LIMIT_FILE_SIZE'
            ? new UnionError(413, 'too_large', `file: is larger than ${MAX_FILE_MB} MB`, [
                { path: 'file', message: `is larger than ${MAX_FILE_MB} MB` },
              ])
            : Invalid.field('file', 'send one file in the form field "file"');
      resolve();
    }),
  );
}

/** Before the CSRF check, on the evidence paths only, for signed-in callers: a form carries its token inside the multipart body. */
export function contractUploads(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !UPLOAD_PATH.test(req.path) || !req.is('multipart/form-data') || !res.locals.user) return next();
    readUpload(req, res).then(() => next(), next);
  };
}

/**
 * Upload and download of evidence for one kind of owner: the API under `/api/<base>/:id/evidence`, the
 * form under `<form>/evidence` going back to `back(params)`.
 */
export function evidenceEndpoints(owner: Owner, base: string, form: string, back: (p: S.ItemParams) => string) {
  return [
    action<S.ItemParams>({
      name: `contracts.${owner}Evidence`,
      method: 'post',
      api: `/api/${base}/:id/evidence`,
      form: `${form}/evidence`,
      access: K.contractsManage,
      params: S.itemParams,
      async run({ ctx, actor, params, req, res }) {
        if (req.is('multipart/form-data')) await readUpload(req, res);
        if (res.locals.contractUploadError) throw res.locals.contractUploadError as UnionError;
        if (!req.file) throw Invalid.field('file', 'is required: send it as multipart/form-data in the field "file"');
        return addFile(ctx, actor, owner, Number(params.id), req.file, params.checkId ? Number(params.checkId) : undefined);
      },
      json: (out) => ({ status: 201, body: out }),
      redirect: (_out, { params }) => ({ to: back(params), flash: 'contracts.flash.fileAdded' }),
      formError: (err, { params }) => backWithReason(back(params))(err),
    }),
    action<S.ByFile>({
      name: `contracts.${owner}EvidenceFile`,
      method: 'get',
      api: `/api/${base}/:id/evidence/:fileId`,
      access: K.contractsManage,
      params: S.byFile,
      stream: true,
      async run({ ctx, params, res }) {
        const file = await readFile(ctx, owner, Number(params.id), Number(params.fileId));
        res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'private, no-store');
        res.type(file.mime).send(file.content);
      },
    }),
  ];
}
