import multer from 'multer';
import type { Request, Response } from 'express';
import { action } from '../../areas/types';
import { Invalid, UnionError } from '../../errors';
import { addFile, MAX_FILE_MB, readFile, type Owner } from '../../services/contracts/files';
import { K } from './permissions';
import * as S from './schemas';

const parse = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_FILE_MB * 1024 * 1024, files: 1, fields: 3, parts: 4, fieldSize: 1024 },
}).single('file');

/** Reads one multipart file from the API call (grievances' evidence does the same); a refusal names the field. */
function readUpload(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    parse(req, res, (err?: unknown) => {
      if (!err) return resolve();
      const code = (err as { code?: string }).code;
      reject(
        code === 'LIMIT_FILE_SIZE'
          ? new UnionError(413, 'too_large', `file: is larger than ${MAX_FILE_MB} MB`, [
              { path: 'file', message: `is larger than ${MAX_FILE_MB} MB` },
            ])
          : Invalid.field('file', 'send one file in the form field "file"'),
      );
    }),
  );
}

/** Upload and download of evidence for one kind of owner, under `/api/<base>/:id/evidence`. */
export function evidenceEndpoints(owner: Owner, base: string) {
  return [
    action<S.ById>({
      name: `contracts.${owner}Evidence`,
      method: 'post',
      api: `/api/${base}/:id/evidence`,
      access: K.contractsManage,
      params: S.byId,
      async run({ ctx, actor, params, req, res }) {
        if (req.is('multipart/form-data')) await readUpload(req, res);
        if (!req.file) throw Invalid.field('file', 'is required: send it as multipart/form-data in the field "file"');
        return addFile(ctx, actor, owner, Number(params.id), req.file);
      },
      json: (out) => ({ status: 201, body: out }),
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
