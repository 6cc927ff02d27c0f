import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { Request, Response, NextFunction } from 'express';
import type { HostAuth } from './host';
import type { Manifest } from './manifest';
import type { Settings, UnionRole } from './settings';
import { Forbidden, Unauthorized } from './errors';

export interface UnionUser {
  id: string;
  hostRoles: string[];
  roles: UnionRole[];
  permissions: Set<string>;
}

const keyObjects = new Map<string, KeyObject>();

/**
 * The host's key as a KeyObject, made once: given a string, jsonwebtoken makes it on every call, first
 * trying it as a PEM public key, which for an HS secret throws (and builds a stack) on every request.
 * Same order, same result: PEM public keys stay public, anything else is a secret.
 */
function keyObjectFor(key: string): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    try {
      k = createPublicKey(key);
    } catch {
      k = createSecretKey(Buffer.from(key));
    }
    if (keyObjects.size >= 16) keyObjects.clear();
    keyObjects.set(key, k);
  }
  return k;
}

/**
 * Verifies the host's SSO token. The algorithms list is explicit, so `alg: none` and
 * algorithm-confusion tokens (HS256 signed with an RS256 public key) are refused by jsonwebtoken.
 */
export function verifyToken(auth: HostAuth, token: string, now: Date): JwtPayload {
  try {
    const payload = jwt.verify(token, keyObjectFor(auth.key), {
      algorithms: auth.algorithms,
      issuer: auth.issuer,
      audience: auth.audience,
      clockTolerance: auth.clockToleranceSec ?? 5,
      clockTimestamp: Math.floor(now.getTime() / 1000),
    });
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub === '') {
      throw new Unauthorized('The token has no subject');
    }
    return payload;
  } catch (err) {
    if (err instanceof Unauthorized) throw err;
    throw new Unauthorized(`The sign-in token was refused: ${(err as Error).message}`);
  }
}

export function rolesFor(settings: Settings, hostRoles: string[]): UnionRole[] {
  const mapping = settings.roleMapping;
  const roles = new Set<UnionRole>(mapping['*'] ?? []);
  for (const r of hostRoles) for (const u of mapping[r] ?? []) roles.add(u);
  return [...roles].sort();
}

export function permissionsFor(manifest: Manifest, roles: UnionRole[]): Set<string> {
  const perms = new Set<string>();
  for (const role of manifest.roles) if (roles.includes(role.id as UnionRole)) role.permissions.forEach((p) => perms.add(p));
  return perms;
}

export function userFromToken(manifest: Manifest, settings: Settings, auth: HostAuth, payload: JwtPayload): UnionUser {
  const claim = payload[auth.rolesClaim ?? 'roles'];
  const hostRoles = Array.isArray(claim) ? claim.filter((r): r is string => typeof r === 'string') : [];
  const roles = rolesFor(settings, hostRoles);
  return { id: payload.sub as string, hostRoles, roles, permissions: permissionsFor(manifest, roles) };
}

function tokenFrom(req: Request, auth: HostAuth): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = req.get('authorization');
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? { token: m[1], via: 'bearer' } : null;
  }
  const cookie = (req.cookies as Record<string, string> | undefined)?.[auth.cookieName];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

export function isApiRequest(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/api';
}

/** Signs the caller in from the host's token; API calls get 401 JSON, pages go to the host's login. */
export function authenticate(deps: { manifest: Manifest; settings: Settings; auth: HostAuth; now: () => Date }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const found = tokenFrom(req, deps.auth);
    try {
      if (!found) throw new Unauthorized();
      const payload = verifyToken(deps.auth, found.token, deps.now());
      res.locals.user = userFromToken(deps.manifest, deps.settings, deps.auth, payload);
      res.locals.authVia = found.via;
      next();
    } catch (err) {
      if (isApiRequest(req) || req.method !== 'GET') return next(err);
      const target = `${deps.auth.loginUrl}?next=${encodeURIComponent(req.originalUrl)}`;
      res.redirect(302, target);
    }
  };
}

export function currentUser(res: Response): UnionUser {
  const user = res.locals.user as UnionUser | undefined;
  if (!user) throw new Unauthorized();
  return user;
}

export function requirePermission(permission: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const user = currentUser(res);
    next(user.permissions.has(permission) ? undefined : new Forbidden(`This needs the permission ${permission}`));
  };
}
