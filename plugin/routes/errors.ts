import type { Request, Response, NextFunction, ErrorRequestHandler } from 'express';
import { Invalid, NotFound, UnionError } from '../errors';
import { errorShape } from '../lib/log-safe';
import { t, type Lang } from '../i18n';
import { isApiRequest } from '../auth';
import type { HostLogger } from '../host';
import { renderPage, type RenderDeps } from '../views/render';

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFound());
}

/** Body-parser errors carry a `type`; they are the client's fault and name the body. */
function fromParser(err: { type?: string; message?: string }): UnionError | null {
  if (err.type === 'entity.parse.failed')
    return new UnionError(400, 'invalid_input', 'The body is not valid JSON', [{ path: 'body', message: 'is not valid JSON' }]);
  if (err.type === 'entity.too.large')
    return new UnionError(413, 'too_large', 'The body is too large', [{ path: 'body', message: 'is too large' }]);
  if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported')
    return new UnionError(415, 'unsupported_media_type', 'Unsupported encoding');
  // Express decodes route params with decodeURIComponent, which throws on a malformed %-escape.
  if (err instanceof URIError) return Invalid.field('path', 'is not valid percent-encoding');
  return null;
}

/** The one place errors become responses: JSON for the API, a page otherwise. Never a stack or SQL. */
export function errorHandler(deps: RenderDeps & { logger: HostLogger }): ErrorRequestHandler {
  return (raw: unknown, req, res, _next) => {
    let err = raw instanceof UnionError ? raw : fromParser(raw as { type?: string });
    if (!err) {
      deps.logger.error({ err: errorShape(raw), method: req.method, path: req.originalUrl.split('?')[0] }, 'union: unhandled error');
      err = new UnionError(500, 'internal', 'Internal error');
    }
    if (res.headersSent) return;
    const lang = (res.locals.lang as Lang) ?? 'zh-CN';
    const wantsJson = isApiRequest(req) || req.path.startsWith('/hooks/') || !req.accepts('html');
    if (wantsJson) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    const known = ['not_found', 'forbidden', 'unauthorized', 'invalid_input', 'conflict'].includes(err.code);
    // People read the reason in their language; an error without one shows its fields (400) or only the kind.
    const why = err.reason ? ` ${t(lang, `errors.${err.reason.key}`, err.reason.vars)}` : '';
    const message = known ? t(lang, `common.errors.${err.code}`) + why : t(lang, 'common.errors.internal');
    renderPage(deps, req, res, 'error', { titleKey: 'common.errors.title', message, details: err.details }, err.status);
  };
}
