import express, { type Router } from 'express';
import path from 'node:path';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import type { Ctx } from '../context';
import type { Area } from '../areas/types';
import { authenticate } from '../auth';
import { standingReader } from '../services/access';
import { csrfToken, verifyCsrf } from '../csrf';
import { pickLang } from '../i18n';
import { instanceSecret } from '../services/install-info';
import { errorHandler, notFound } from './errors';
import { endpointRouter, type RouteDeps } from './endpoints';

export type { RouteDeps } from './endpoints';

/** The module's router, mounted by the host at /union. Order matters: public parts, then sign-in, then the areas. */
export async function buildRouter(ctx: Ctx, areas: readonly Area[], extra: { runJob: RouteDeps['runJob'] }): Promise<Router> {
  const secret = await instanceSecret(ctx, 'csrf_secret');
  const deps: RouteDeps = {
    ctx,
    manifest: ctx.manifest,
    timezone: ctx.settings.timezone,
    ui: ctx.host.ui,
    csrf: (userId) => csrfToken(secret, userId),
    runJob: extra.runJob,
  };
  const router = express.Router();
  router.use(
    helmet({
      // No upgrade-insecure-requests: the host may serve plain http on 127.0.0.1, where that would break our assets.
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'form-action': ["'self'"], upgradeInsecureRequests: null },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  router.use('/assets', express.static(path.join(__dirname, '..', 'views', 'assets'), { maxAge: '1h', fallthrough: false }));
  // Pages, APIs and exports carry personal data: no browser or proxy cache may keep a copy (assets above may).
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  for (const a of areas) if (a.publicRoutes) router.use('/hooks', a.publicRoutes(ctx));
  router.use(cookieParser());
  router.use((req, res, next) => {
    res.locals.lang = pickLang(req, ctx.settings.locale);
    if (req.query.lang === 'en' || req.query.lang === 'zh-CN')
      res.cookie('union_lang', req.query.lang, { sameSite: 'lax', httpOnly: true, path: '/union' });
    next();
  });
  const standing = standingReader(ctx);
  router.use(authenticate({ manifest: ctx.manifest, settings: ctx.settings, auth: ctx.host.auth, now: () => ctx.now(), standing }));
  router.use(express.json({ limit: '1mb' }));
  router.use(express.urlencoded({ extended: false, limit: '1mb' }));
  for (const a of areas) if (a.beforeCsrf) router.use(a.beforeCsrf());
  router.use(verifyCsrf(secret));
  for (const a of areas) router.use(endpointRouter(deps, a.endpoints));
  router.use(notFound);
  router.use(errorHandler({ ...deps, logger: ctx.host.logger }));
  return router;
}
