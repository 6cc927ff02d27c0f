/**
 * The reference host's SSO: an HS256 JWT in the hr_session cookie (or a Bearer header). Like a real
 * SSO the host trusts any token it signed; it does not look the subject up, so tests and admin tools
 * can act as users that are not seeded employees.
 */
import type { Request, RequestHandler, Response } from 'express';
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { HostAuth, HostClock } from '../../plugin/host';

export const DEV_SECRET = 'dev-only-secret-change-me';
export const ISSUER = 'reference-host';
export const AUDIENCE = 'hr-oa';
export const COOKIE_NAME = 'hr_session';
export const TOKEN_TTL_SEC = 8 * 3600;

export interface SessionUser {
  /** Employee id (the token's sub). */
  id: string;
  roles: string[];
  name?: string;
}

/** HOST_SSO_SECRET, else the development default (server.ts refuses that in production). */
export function resolveSecret(secret?: string): string {
  return secret || process.env.HOST_SSO_SECRET || DEV_SECRET;
}

export function hostAuth(secret: string): HostAuth {
  return {
    key: secret,
    algorithms: ['HS256'],
    issuer: ISSUER,
    audience: AUDIENCE,
    clockToleranceSec: 5,
    cookieName: COOKIE_NAME,
    loginUrl: '/login',
    rolesClaim: 'roles',
  };
}

export interface SignOptions {
  secret?: string;
  /** Seconds; default 8 hours. */
  expiresInSec?: number;
  /** Issue time; defaults to now (sinon fake timers move it too). */
  now?: Date;
}

/** Signs a host session token. Tests use this instead of a login round trip. */
export function signToken(
  claims: { sub: string; roles: string[]; name?: string; [claim: string]: unknown },
  opts: SignOptions = {},
): string {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const { sub, ...rest } = claims;
  return jwt.sign({ ...rest, iat }, resolveSecret(opts.secret), {
    algorithm: 'HS256',
    subject: String(sub),
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: opts.expiresInSec ?? TOKEN_TTL_SEC,
  });
}

const secretKeys = new Map<string, KeyObject>();

/** The HS256 secret as a KeyObject, made once: from a string jsonwebtoken would rebuild it per call (a costly failed PEM parse first). */
function secretKey(secret: string): KeyObject {
  let k = secretKeys.get(secret);
  if (!k) {
    k = createSecretKey(Buffer.from(secret));
    if (secretKeys.size >= 16) secretKeys.clear();
    secretKeys.set(secret, k);
  }
  return k;
}

/** Null for anything not signed by us, expired, or not shaped like a session. */
export function verifyToken(token: string, secret: string, clock?: HostClock): SessionUser | null {
  try {
    const p = jwt.verify(token, secretKey(secret), {
      // Pinned: never let the token's own header pick the algorithm (alg=none, HS/RS confusion).
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTolerance: 5,
      ...(clock ? { clockTimestamp: Math.floor(clock.now().getTime() / 1000) } : {}),
    });
    if (typeof p === 'string' || typeof p.sub !== 'string' || !p.sub) return null;
    const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [];
    return { id: p.sub, roles, name: typeof p.name === 'string' ? p.name : undefined };
  } catch {
    return null;
  }
}

export function tokenFrom(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  const cookie = (req.cookies as Record<string, string> | undefined)?.[COOKIE_NAME];
  return cookie || null;
}

export function hasBearer(req: Request): boolean {
  return Boolean(req.headers.authorization?.startsWith('Bearer '));
}

/** Reads and verifies once per request; plugin pages wrapped in the host shell reuse the result. */
export class Sessions {
  private readonly cache = new WeakMap<Request, SessionUser | null>();

  constructor(
    private readonly secret: string,
    private readonly clock: HostClock,
  ) {}

  user(req: Request): SessionUser | null {
    if (this.cache.has(req)) return this.cache.get(req) ?? null;
    const token = tokenFrom(req);
    const user = token ? verifyToken(token, this.secret, this.clock) : null;
    this.cache.set(req, user);
    return user;
  }

  signIn(res: Response, req: Request, user: SessionUser): void {
    const token = signToken({ sub: user.id, roles: user.roles, name: user.name }, { secret: this.secret, now: this.clock.now() });
    res.cookie(COOKIE_NAME, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: TOKEN_TTL_SEC * 1000 });
  }

  signOut(res: Response): void {
    res.clearCookie(COOKIE_NAME, { path: '/' });
  }

  /** Pages: no session -> to the login page, then back. */
  requirePageUser(): RequestHandler {
    return (req, res, next) => {
      if (this.user(req)) return next();
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    };
  }
}

export function isAdmin(user: SessionUser | null): boolean {
  return Boolean(user?.roles.includes('admin'));
}
