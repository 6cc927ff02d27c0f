/** Who may call what, and the host's CSRF rules. */
import type { RequestHandler } from 'express';
import { forbidden, HttpError, unauthorized } from './errors';
import { hasBearer, isAdmin, type Sessions } from './sso';

/** JSON APIs: 401 without a valid token, 403 for a signed-in non-admin. */
export function apiAdmin(sessions: Sessions): RequestHandler {
  return (req, _res, next) => {
    const user = sessions.user(req);
    if (!user) return next(unauthorized());
    if (!isAdmin(user)) return next(forbidden());
    next();
  };
}

/** Pages: to the login page when signed out, a 403 page for non-admins. */
export function pageAdmin(sessions: Sessions): RequestHandler {
  const signIn = sessions.requirePageUser();
  return (req, res, next) =>
    signIn(req, res, () => (isAdmin(sessions.user(req)) ? next() : next(new HttpError(403, 'forbidden', '此页面仅限管理员访问'))));
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * sameSite=lax keeps the session cookie off cross-site POSTs, but not off requests from a sibling
 * subdomain (same site) or from browsers that ignore SameSite. A plain HTML form can set neither
 * Content-Type: application/json nor an Authorization header, so API writes require one of the two.
 */
export function jsonOrBearer(): RequestHandler {
  return (req, _res, next) => {
    if (!UNSAFE.has(req.method) || hasBearer(req)) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/json') return next();
    next(
      new HttpError(415, 'unsupported_media_type', 'Send Content-Type: application/json (or a Bearer token)', [
        { path: '(headers).content-type', message: 'must be application/json' },
      ]),
    );
  };
}

/**
 * Host form posts: refuse what the browser marks as coming from another origin. Sec-Fetch-Site decides
 * when the browser sends it: under helmet's Referrer-Policy no-referrer a browser sends `Origin: null`
 * even for our own forms, so the Origin header only decides for browsers without Sec-Fetch-Site.
 */
export function sameOrigin(): RequestHandler {
  return (req, _res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const cross = site ? site !== 'same-origin' && site !== 'none' : origin !== undefined && originHost(origin) !== req.headers.host;
    next(cross ? new HttpError(403, 'cross_site', '拒绝来自其他站点的表单提交') : undefined);
  };
}

/** The host part of an Origin header; 'null' (sandboxed or privacy-redirected) never matches. */
function originHost(origin: string): string | null {
  try {
    return origin === 'null' ? null : new URL(origin).host;
  } catch {
    return null;
  }
}
