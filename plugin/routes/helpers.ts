import type { Request, Response } from 'express';
import type { Actor } from '../context';
import { currentUser } from '../auth';
import { hasKey, t, type Lang } from '../i18n';

export function actorOf(res: Response): Actor {
  return { id: currentUser(res).id, kind: 'user' };
}

/** A flash message travels as an i18n key in the redirect's query; unknown keys are ignored, never echoed. */
export function flashFrom(req: Request, res: Response): { kind: string; text: string } | undefined {
  const key = req.query.flash;
  if (typeof key !== 'string' || !hasKey(res.locals.lang as Lang, key)) return undefined;
  const vars = Object.fromEntries(
    Object.entries(req.query)
      .filter(([k]) => k.startsWith('v_'))
      .map(([k, v]) => [k.slice(2), String(v)]),
  );
  return { kind: req.query.kind === 'error' ? 'error' : 'ok', text: t(res.locals.lang as Lang, key, vars) };
}

export function withFlash(path: string, key: string, vars: Record<string, string | number> = {}, kind: 'ok' | 'error' = 'ok'): string {
  const q = new URLSearchParams({ flash: key, ...(kind === 'error' ? { kind } : {}) });
  for (const [k, v] of Object.entries(vars)) q.set(`v_${k}`, String(v));
  return `${path}${path.includes('?') ? '&' : '?'}${q}`;
}

export function lang(res: Response): Lang {
  return res.locals.lang as Lang;
}
