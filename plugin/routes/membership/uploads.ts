/** The ledger upload: one multipart file, read once, before the CSRF check on the two upload paths only. */
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { UnionUser } from '../../auth';
import { Invalid, UnionError } from '../../errors';
import { LedgerFileError } from '../../sync/ledger-import';
import { P } from './permissions';

export const MAX_UPLOAD_MB = 10;
const PERMISSION = P.importRun;
const UPLOAD_PATHS = new Set(['/imports', '/api/imports']);

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
  return uploadsFor(UPLOAD_PATHS, PERMISSION);
}

/** The same for another area's upload paths (the welfare payments from finance), under its own permission. */
export function uploadsFor(paths: ReadonlySet<string>, permission: string): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.user as UnionUser | undefined;
    if (req.method !== 'POST' || !paths.has(req.path) || !req.is('multipart/form-data') || !user?.permissions.has(permission))
      return next();
    readUpload(req, res).then(() => next(), next);
  };
}

export async function uploadedFile(req: Request, res: Response): Promise<{ buffer: Buffer; filename: string }> {
  if (req.is('multipart/form-data')) await readUpload(req, res);
  if (res.locals.uploadError) throw res.locals.uploadError as UnionError;
  if (!req.file) throw new UploadError('missing', 'is required: send the file as multipart/form-data in the field "file"');
  return { buffer: req.file.buffer, filename: req.file.originalname };
}

/** The i18n key that tells a person what is wrong with their file, or null when the error is not about the file. */
export function fileProblemKey(err: unknown): string | null {
  if (err instanceof LedgerFileError || err instanceof UploadError) return `imports.fileErrors.${err.problem}`;
  if (err instanceof UnionError && err.code === 'too_large') return 'imports.fileErrors.too_large';
  return null;
}
