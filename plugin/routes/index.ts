import express, { type Router } from 'express';
import path from 'node:path';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import type { Ctx } from '../context';
import { authenticate } from '../auth';
import { standingReader } from '../services/access';
import { csrfToken, verifyCsrf } from '../csrf';
import { pickLang } from '../i18n';
import { instanceSecret } from '../services/install-info';
import { errorHandler, notFound } from './errors';
import type { RenderDeps } from '../views/render';
import { webhookRouter } from '../sync/webhook';
import type { JobTrigger } from '../jobs/scheduler';
import { meRoutes } from './me';
import { memberRoutes } from './members';
import { joinRoutes } from './join';
import { invitationRoutes } from './invitations';
import { syncRoutes } from './sync';
import { statsRoutes } from './stats';
import { orgRoutes } from './orgs';
import { importRoutes, importUploads } from './imports';

export interface RouteDeps extends RenderDeps {
  ctx: Ctx;
  runJob(jobId: string, by: JobTrigger): Promise<{ ran: boolean; value?: unknown }>;
}

/** The module's router, mounted by the host at /union. Order matters: public parts, then sign-in, then areas. */
export async function buildRouter(ctx: Ctx, extra: { runJob: RouteDeps['runJob'] }): Promise<Router> {
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
  router.use('/hooks', webhookRouter(ctx));
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
  router.use(importUploads()); // multipart uploads carry their _csrf field in the body
  router.use(verifyCsrf(secret));
  for (const area of [meRoutes, memberRoutes, joinRoutes, invitationRoutes, syncRoutes, statsRoutes, orgRoutes, importRoutes])
    router.use(area(deps));
  router.use(notFound);
  router.use(errorHandler({ ...deps, logger: ctx.host.logger }));
  return router;
}
