/** The host's typed errors and the one middleware that turns them into JSON (APIs) or a page. */
import type { ErrorRequestHandler, Request } from 'express';
import type { HostLogger } from '../../plugin/host';

export interface FieldError {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export const badRequest = (details: FieldError[], message = details.map((d) => `${d.path}: ${d.message}`).join('; ')) =>
  new HttpError(400, 'invalid_input', message, details);
export const notFound = (message: string, details: FieldError[] = []) => new HttpError(404, 'not_found', message, details);
export const conflict = (message: string, details: FieldError[] = []) => new HttpError(409, 'conflict', message, details);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'A valid sign-in token is required');
export const forbidden = () => new HttpError(403, 'forbidden', 'Administrators only');

/** JSON for anything that looks like an API (also a disabled plugin's /union/api/...), pages otherwise. */
export function isApiPath(path: string): boolean {
  return /\/api(\/|$)/.test(path);
}

/**
 * Known errors keep their status and fields; body-parser errors keep their 4xx; anything else is a 500
 * with a generic message (the stack and any SQL go to the log only).
 */
export function errorHandler(
  logger: HostLogger,
  renderPage: (req: Request, status: number, message: string) => string,
): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e: HttpError;
    if (err instanceof HttpError) e = err;
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      e =
        err.type === 'entity.parse.failed'
          ? new HttpError(400, 'invalid_json', 'The request body is not valid JSON', [{ path: '(body)', message: 'is not valid JSON' }])
          : new HttpError(err.status, err.type ?? 'bad_request', err.expose ? String(err.message) : 'Bad request');
    } else {
      // The path only: a query string can carry names being searched; the logger's serializer shapes err.
      logger.error({ err, method: req.method, path: req.originalUrl.split('?')[0] }, 'request failed');
      e = new HttpError(500, 'internal', 'Something went wrong on our side');
    }
    if (res.headersSent) return;
    if (isApiPath(req.path)) res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details } });
    else
      res
        .status(e.status)
        .type('html')
        .send(renderPage(req, e.status, e.message));
  };
}
