import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Request, Response } from 'express';
import { hasKey, t, type Lang } from '../i18n';
import { fromSqlDateTime } from '../lib/time';
import type { Manifest, ManifestMenu } from '../manifest';
import type { HostUi } from '../host';
import type { UnionUser } from '../auth';

const VIEWS = __dirname;
const hbs = Handlebars.create();

hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
  const lang = (options.data.root as { lang: Lang }).lang;
  return t(lang, key, options.hash as Record<string, unknown>);
});
hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
hbs.registerHelper('json', (v: unknown) => JSON.stringify(v));
hbs.registerHelper('pct', (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`));
hbs.registerHelper('date', (v: unknown) => (v ? String(v).slice(0, 10) : '—'));
/** Stored datetimes are UTC; people read them in the module's timezone. */
hbs.registerHelper('datetime', function (v: unknown, options: Handlebars.HelperOptions) {
  const at = v instanceof Date ? v : fromSqlDateTime(v ? String(v) : null);
  if (!at || Number.isNaN(at.getTime())) return '—';
  const tz = (options.data.root as { timezone: string }).timezone;
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
});
/** Reasons the module writes are codes with a translation; reasons people typed are shown as typed. */
hbs.registerHelper('reason', function (v: unknown, options: Handlebars.HelperOptions) {
  if (!v) return '';
  const lang = (options.data.root as { lang: Lang }).lang;
  const key = `members.reason.${String(v)}`;
  return hasKey(lang, key) ? t(lang, key) : String(v);
});

/** Pages live in one folder per area (pages/<area>/<name>.hbs) and are named `<area>/<name>`. */
function loadDir(dir: string, prefix = ''): Map<string, { source: string; render: Handlebars.TemplateDelegate }> {
  const out = new Map<string, { source: string; render: Handlebars.TemplateDelegate }>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
    if (f.isDirectory()) {
      for (const [k, v] of loadDir(path.join(dir, f.name), `${prefix}${f.name}/`)) out.set(k, v);
    } else if (f.name.endsWith('.hbs')) {
      const source = fs.readFileSync(path.join(dir, f.name), 'utf8');
      out.set(prefix + path.basename(f.name, '.hbs'), { source, render: hbs.compile(source, { strict: false }) });
    }
  }
  return out;
}

const partialSources = new Map<string, string>();
for (const f of fs.readdirSync(path.join(VIEWS, 'partials')).filter((x) => x.endsWith('.hbs'))) {
  const source = fs.readFileSync(path.join(VIEWS, 'partials', f), 'utf8');
  partialSources.set(path.basename(f, '.hbs'), source);
  hbs.registerPartial(path.basename(f, '.hbs'), source);
}
const pages = loadDir(path.join(VIEWS, 'pages'));
const layoutSource = fs.readFileSync(path.join(VIEWS, 'layout.hbs'), 'utf8');
const layout = hbs.compile(layoutSource);

export function hasView(name: string): boolean {
  return pages.has(name);
}

/** Every template's source by name, for the load-time checks of i18n keys and capabilities. */
export function templateSources(): Map<string, string> {
  const all = new Map<string, string>([['layout', layoutSource]]);
  for (const [k, v] of partialSources) all.set(`partials/${k}`, v);
  for (const [k, v] of pages) all.set(`pages/${k}`, v.source);
  return all;
}

/** Templates see what the caller may do as `can.<key>`, keyed by the areas' permission constants. */
let capabilityKeys: Array<[key: string, permission: string]> = [];
export function setCapabilities(perms: Array<[key: string, permission: string]>): void {
  capabilityKeys = perms;
}

export interface RenderDeps {
  manifest: Manifest;
  timezone: string;
  ui?: HostUi;
  csrf(userId: string): string;
}

function subNav(manifest: Manifest, user: UnionUser | undefined, lang: Lang, current: string) {
  const tab = manifest.menus[0];
  const items: ManifestMenu[] = tab.children ?? [];
  return items
    .filter((m) => user?.permissions.has(m.permission))
    .map((m) => ({ path: m.path, title: m.title[lang], active: m.key === current }));
}

/** Renders a page body from its template, then places it in the host's shell (or our own layout). */
export function renderPage(
  deps: RenderDeps,
  req: Request,
  res: Response,
  page: string,
  data: Record<string, unknown> & { titleKey: string; navKey?: string },
  status = 200,
  memo?: { data: object; key: string },
): void {
  const template = pages.get(page)?.render;
  if (!template) throw new Error(`no view named ${page}`);
  const lang = res.locals.lang as Lang;
  const user = res.locals.user as UnionUser | undefined;
  const title = t(lang, data.titleKey);
  const build = () => {
    const root = {
      ...data,
      lang,
      otherLang: lang === 'en' ? 'zh-CN' : 'en',
      user,
      can: Object.fromEntries(capabilityKeys.filter(([, p]) => user?.permissions.has(p)).map(([k]) => [k, true])),
      csrf: user ? deps.csrf(user.id) : '',
      nav: subNav(deps.manifest, user, lang, data.navKey ?? ''),
      path: req.originalUrl,
      wrapped: !!deps.ui,
      timezone: deps.timezone,
    };
    return layout({ ...root, title, content: template(root) });
  };
  const body = memo ? memoBody(memo, build) : build();
  const html = deps.ui
    ? deps.ui.wrapPage(req, { title: `${title} - ${t(lang, 'common.appName')}`, html: body, lang })
    : standalone(lang, title, body);
  res.status(status).type('html').send(html);
}

/**
 * A cached list page's body, rendered once per cached value and caller key (the key names everything
 * else the templates see: user, permissions, language, URL with its flash); it goes when the value does.
 */
const contents = new WeakMap<object, Map<string, string>>();
function memoBody(memo: { data: object; key: string }, render: () => string): string {
  let byKey = contents.get(memo.data);
  if (!byKey) contents.set(memo.data, (byKey = new Map()));
  let html = byKey.get(memo.key);
  if (html === undefined) {
    html = render();
    // Many different callers of one value would otherwise grow this without bound.
    if (byKey.size >= 100) byKey.clear();
    byKey.set(memo.key, html);
  }
  return html;
}

function standalone(lang: Lang, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${Handlebars.escapeExpression(title)}</title></head><body>${body}</body></html>`;
}
