import crypto from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';
import { Forbidden } from './errors';

/**
 * Stateless CSRF tokens bound to the signed-in user: HMAC(secret, user id). Only requests that a
 * browser could send on its own (cookie-authenticated, state-changing) need one; bearer calls do not.
 */
export function csrfToken(secret: string, userId: string): string {
  return crypto.createHmac('sha256', secret).update(`csrf:${userId}`).digest('base64url');
}

export function verifyCsrf(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || res.locals.authVia !== 'cookie') return next();
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    const expected = csrfToken(secret, (res.locals.user as { id: string }).id);
    const ok =
      typeof sent === 'string' && sent.length === expected.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    next(ok ? undefined : new Forbidden('The form has expired or did not come from this site (CSRF token missing or wrong)'));
  };
}
