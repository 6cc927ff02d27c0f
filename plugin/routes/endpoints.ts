import { createHash } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Ctx } from '../context';
import type { Action, Call, Endpoint, Page } from '../areas/types';
import { currentUser, requirePermission } from '../auth';
import { ajv, ajvQuery, assertValid } from '../schemas/ajv';
import { renderPage, type RenderDeps } from '../views/render';
import { actorOf, flashFrom, lang, withFlash } from './helpers';
import type { JobTrigger } from '../jobs/scheduler';
import type { LeaseOutcome } from '../jobs/lease';
import { cachedList, queryKey, scopeKey } from '../services/list-cache';

export interface RouteDeps extends RenderDeps {
  ctx: Ctx;
  runJob(jobId: string, by: JobTrigger): Promise<LeaseOutcome<unknown>>;
}

/** Query fields every page accepts for the UI itself (language, flash message), whatever its schema says. */
const UI_QUERY = /^(lang|flash|kind|v_\w+)$/;

type Validate = (data: unknown) => unknown;

const compiledSchemas = {
  body: new WeakMap<object, Validate>(),
  query: new WeakMap<object, Validate>(),
  params: new WeakMap<object, Validate>(),
};

/** Each schema is compiled once per process, however many times the module is enabled. */
function validator(schema: object | undefined, root: 'body' | 'query' | 'params'): Validate {
  if (!schema) return (data) => data;
  let v = compiledSchemas[root].get(schema);
  if (!v) {
    const compiled = (root === 'query' ? ajvQuery : ajv).compile(schema);
    v = (data) => assertValid(compiled, data, root);
    compiledSchemas[root].set(schema, v);
  }
  return v;
}

/** Form posts carry their CSRF token in the body; GET forms send empty strings for untouched fields. */
function bodyOf(req: Request): Record<string, unknown> {
  const { _csrf: _token, ...rest } = (req.body ?? {}) as Record<string, unknown>;
  return rest;
}

function queryOf(req: Request): Record<string, unknown> {
  return Object.fromEntries(Object.entries(req.query).filter(([k, v]) => v !== '' && v !== undefined && !UI_QUERY.test(k)));
}

function paramsOf(req: Request): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.params as Record<string, string | string[]>).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : v]),
  );
}

function guard(access: string): RequestHandler {
  return access === 'signedIn'
    ? (_req, res, next) => {
        currentUser(res);
        next();
      }
    : requirePermission(access);
}

/** The request as an endpoint sees it, before validation: what a form's error answer gets when its input was refused. */
function rawCall(deps: RouteDeps, req: Request, res: Response): Call<never, never, never> {
  return {
    ctx: deps.ctx,
    user: currentUser(res),
    actor: actorOf(res),
    lang: lang(res),
    params: paramsOf(req) as never,
    body: (req.method === 'GET' ? {} : bodyOf(req)) as never,
    query: queryOf(req) as never,
    req,
    res,
    runJob: deps.runJob,
  };
}

/** Builds the endpoint's input once per request: validated params, body and query, and who is calling. */
function caller(deps: RouteDeps, e: { params?: object; body?: object; query?: object }) {
  const params = validator(e.params, 'params');
  const body = validator(e.body, 'body');
  const query = validator(e.query, 'query');
  return (req: Request, res: Response): Call<never, never, never> => {
    const raw = rawCall(deps, req, res);
    return {
      ...raw,
      params: params(raw.params) as never,
      body: (req.method === 'GET' ? {} : body(raw.body)) as never,
      query: query(raw.query) as never,
    };
  };
}

async function showPage(deps: RouteDeps, p: Page, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  const c = caller(deps, p)(req, res);
  // A page shown again with a form's error is never cached: it carries what that one request sent.
  const cached = p.cache && status === 200 && !Object.keys(extra).length;
  let data: Record<string, unknown>;
  let memo: { data: object; key: string } | undefined;
  if (cached) {
    const list = await cachedList(deps.ctx, p.cache!, [scopeKey(c.user.scope), queryKey(c.query)], () => p.load(c as never));
    // The HTML also carries who is looking (shell, CSRF token, what they may do), their language and the URL.
    const etag = pageTag(list.etag, c.user, c.lang, req.originalUrl);
    if (notModified(req, res, etag)) return;
    data = list.value;
    memo = { data: list.value, key: etag };
  } else {
    data = await p.load(c as never);
  }
  renderPage(
    deps,
    req,
    res,
    p.view,
    { titleKey: p.titleKey, navKey: p.navKey, flash: flashFrom(req, res), ...data, ...extra },
    status,
    memo,
  );
}

function pageTag(listTag: string, user: Call<never, never, never>['user'], lang: string, url: string): string {
  const who = JSON.stringify([user.id, [...user.permissions].sort(), lang, url]);
  return `"${createHash('sha1').update(listTag).update(who).digest('base64url')}"`;
}

/** Sets the validator and answers 304 when the client already holds this version (then the caller stops). */
function notModified(req: Request, res: Response, etag: string): boolean {
  // Cache-Control stays no-store (personal data is kept by no browser or proxy): the validator serves
  // clients that keep the answer themselves (an app polling the list), who ask with If-None-Match.
  res.setHeader('ETag', etag);
  if (!req.fresh) return false;
  res.status(304).end();
  return true;
}

/** The JSON text of a cached value, made once per value rather than once per request. */
const jsonTexts = new WeakMap<object, string>();
function jsonText(value: object): string {
  let s = jsonTexts.get(value);
  if (s === undefined) jsonTexts.set(value, (s = JSON.stringify(value)));
  return s;
}

function mountPage(r: Router, deps: RouteDeps, p: Page): void {
  r.get(p.path, guard(p.access), (req, res) => showPage(deps, p, req, res));
}

function mountAction(r: Router, deps: RouteDeps, a: Action): void {
  const call = caller(deps, a);
  if (a.api) {
    r[a.method](a.api, guard(a.access), async (req, res) => {
      const c = call(req, res);
      if (a.cache && a.method === 'get' && !a.stream && !a.json) {
        const list = await cachedList(
          deps.ctx,
          a.cache,
          [scopeKey(c.user.scope), queryKey(c.query)],
          async () => (await a.run(c)) as object,
        );
        if (notModified(req, res, list.etag)) return;
        return res.status(200).type('json').send(jsonText(list.value));
      }
      const out = await a.run(c);
      if (a.stream) return;
      const { status = 200, body = out } = a.json ? await a.json(out, c) : {};
      if (body === undefined) res.status(status === 200 ? 204 : status).end();
      else res.status(status).json(body);
    });
  }
  if (a.form) {
    r.post(a.form, guard(a.access), async (req, res) => {
      let c: Call<never, never, never> | undefined;
      let out: unknown;
      try {
        c = call(req, res);
        out = await a.run(c);
      } catch (err) {
        const instead = a.formError?.(err, c ?? rawCall(deps, req, res));
        if (!instead) throw err;
        if ('page' in instead) return showPage(deps, instead.page, req, res, instead.extra, instead.status);
        return res.redirect(303, instead.flash ? withFlash(instead.to, instead.flash, instead.vars, instead.kind) : instead.to);
      }
      if (a.stream) return;
      const next = a.redirect?.(out, c);
      if (!next) throw new Error(`endpoint ${a.name} has a form path but no redirect`);
      res.redirect(303, next.flash ? withFlash(next.to, next.flash, next.vars, next.kind) : next.to);
    });
  }
}

/** Mounts an area's endpoints in declaration order (a fixed path before a parameter, as in Express). */
export function endpointRouter(deps: RouteDeps, endpoints: readonly Endpoint[]): Router {
  const r = express.Router();
  for (const e of endpoints) {
    if (e.kind === 'page') mountPage(r, deps, e);
    else mountAction(r, deps, e);
  }
  return r;
}
