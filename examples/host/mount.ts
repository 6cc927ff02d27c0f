/**
 * Where plugins' routers live. Express cannot remove a router once `app.use`d, so the host installs
 * one dispatcher and keeps a map basePath -> router: unmounting deletes the entry and later requests
 * fall through to the host's own routes and its 404.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { HostMount } from '../../plugin/host';

export class MountDispatcher implements HostMount {
  private readonly routes = new Map<string, Router>();

  mount(basePath: string, router: Router): void {
    const base = normalise(basePath);
    // A wrapper router strips the prefix and sets req.baseUrl exactly as app.use(base, router) would.
    const wrapper = express.Router();
    wrapper.use(base, router);
    this.routes.set(base, wrapper);
  }

  unmount(basePath: string): void {
    this.routes.delete(normalise(basePath));
  }

  /** The middleware to install once, before the host's own body parsers (plugins may need raw bodies). */
  readonly middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const base = this.match(req.path);
    const router = base && this.routes.get(base);
    if (!router) return next();
    router(req, res, next);
  };

  /** Longest prefix wins, and only on a path-segment boundary: /union never catches /unionx. */
  private match(path: string): string | undefined {
    let best: string | undefined;
    for (const base of this.routes.keys()) {
      if ((path === base || path.startsWith(`${base}/`)) && (!best || base.length > best.length)) best = base;
    }
    return best;
  }
}

function normalise(basePath: string): string {
  const p = `/${basePath}`.replace(/\/+/g, '/').replace(/\/$/, '');
  if (!p) throw new Error('A plugin cannot mount at the site root');
  return p;
}
