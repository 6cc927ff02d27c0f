import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { Request, Response, NextFunction } from 'express';
import type { HostAuth } from './host';
import type { Manifest } from './manifest';
import type { Settings, UnionRole } from './settings';
import { Forbidden, Unauthorized } from './errors';
import type { Standing } from './services/access';
import { NOTHING, WHOLE_UNION, type Scope } from './services/scope';

export interface UnionUser {
  id: string;
  hostRoles: string[];
  roles: UnionRole[];
  permissions: Set<string>;
  /** The part of the union this person may see as staff; nothing for a plain member. */
  scope: Scope;
  employment: Standing['employment'];
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
  // A token's signature, issuer and audience do not change: a list page read many times a second checks
  // them once, and only the times (exp, nbf) on every request.
  // The key is compared too, so a key changed in place is never bypassed by an earlier verdict.
  const seen = verifiedTokens.get(auth)?.get(token);
  if (seen && seen.key === auth.key && withinTimes(seen.payload, now, auth.clockToleranceSec ?? 5)) return seen.payload;
  const payload = verifyFully(auth, token, now);
  let byToken = verifiedTokens.get(auth);
  if (!byToken) verifiedTokens.set(auth, (byToken = new Map()));
  if (byToken.size >= 1000) byToken.clear();
  byToken.set(token, { key: auth.key, payload });
  return payload;
}

const verifiedTokens = new WeakMap<HostAuth, Map<string, { key: HostAuth['key']; payload: JwtPayload }>>();

/** jsonwebtoken's own rule: expired at exp + tolerance, not yet valid before nbf - tolerance. */
function withinTimes(p: JwtPayload, now: Date, toleranceSec: number): boolean {
  const at = Math.floor(now.getTime() / 1000);
  if (typeof p.exp === 'number' && at >= p.exp + toleranceSec) return false;
  if (typeof p.nbf === 'number' && p.nbf > at + toleranceSec) return false;
  return true;
}

function verifyFully(auth: HostAuth, token: string, now: Date): JwtPayload {
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
    // A token that never expires could never be taken back: refuse it, whoever signed it.
    if (typeof payload.exp !== 'number') throw new Unauthorized('The sign-in token has no expiry (exp claim); sign in again');
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

function tokenRoles(auth: HostAuth, payload: JwtPayload): string[] {
  const claim = payload[auth.rolesClaim ?? 'roles'];
  return Array.isArray(claim) ? claim.filter((r): r is string => typeof r === 'string') : [];
}

/** Roles that work on members within a scope (the orgs they serve). */
export const STAFF_ROLES: UnionRole[] = ['union.staff', 'union.chair'];
/** Work on the whole union at once (a legacy ledger, reconciling with HR): not for a branch's staff. */
const WHOLE_UNION_PERMISSIONS = ['union.import.run', 'union.sync.run', 'union.settings.manage'];

/**
 * The caller as things stand now. Host roles come from the host when it can tell (else from the token);
 * someone who has left keeps only what every signed-in person has (their own record), never staff rights.
 * Module administrators see the whole union; staff and chairs the subtrees of the orgs they serve.
 */
export function userFromStanding(
  manifest: Manifest,
  settings: Settings,
  id: string,
  tokenHostRoles: string[],
  standing: Standing,
): UnionUser {
  const current = standing.hostRoles ?? tokenHostRoles;
  const hostRoles = standing.employment === 'exited' ? [] : current;
  const roles = rolesFor(settings, hostRoles);
  const scope = roles.includes('union.admin') ? WHOLE_UNION : roles.some((r) => STAFF_ROLES.includes(r)) ? standing.staffScope : NOTHING;
  const permissions = permissionsFor(manifest, roles);
  if (!scope.all) for (const p of WHOLE_UNION_PERMISSIONS) permissions.delete(p);
  return { id, hostRoles, roles, permissions, scope, employment: standing.employment };
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

export interface AuthDeps {
  manifest: Manifest;
  settings: Settings;
  auth: HostAuth;
  now: () => Date;
  /** The caller's current standing (employment, host roles, orgs served), cached briefly. */
  standing: (userId: string) => Promise<Standing>;
}

/** Signs the caller in from the host's token; API calls get 401 JSON, pages go to the host's login. */
export function authenticate(deps: AuthDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const found = tokenFrom(req, deps.auth);
    let payload: JwtPayload;
    try {
      if (!found) throw new Unauthorized();
      payload = verifyToken(deps.auth, found.token, deps.now());
    } catch (err) {
      if (isApiRequest(req) || req.method !== 'GET') return next(err);
      const target = `${deps.auth.loginUrl}?next=${encodeURIComponent(req.originalUrl)}`;
      return res.redirect(302, target);
    }
    try {
      const id = payload.sub as string;
      const standing = await deps.standing(id);
      res.locals.user = userFromStanding(deps.manifest, deps.settings, id, tokenRoles(deps.auth, payload), standing);
      res.locals.authVia = found.via;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function currentUser(res: Response): UnionUser {
  const user = res.locals.user as UnionUser | undefined;
  if (!user) throw new Unauthorized();
  return user;
}

/** The part of the union the caller sees as staff; services narrow every read and write to it. */
export function scopeOf(res: Response): Scope {
  return currentUser(res).scope;
}

export function requirePermission(permission: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const user = currentUser(res);
    next(user.permissions.has(permission) ? undefined : new Forbidden(`This needs the permission ${permission}`));
  };
}
