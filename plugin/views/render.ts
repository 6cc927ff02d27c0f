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

function loadDir(dir: string): Map<string, Handlebars.TemplateDelegate> {
  const out = new Map<string, Handlebars.TemplateDelegate>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.hbs'))) {
    out.set(path.basename(f, '.hbs'), hbs.compile(fs.readFileSync(path.join(dir, f), 'utf8'), { strict: false }));
  }
  return out;
}

for (const f of fs.readdirSync(path.join(VIEWS, 'partials')).filter((x) => x.endsWith('.hbs'))) {
  hbs.registerPartial(path.basename(f, '.hbs'), fs.readFileSync(path.join(VIEWS, 'partials', f), 'utf8'));
}
const pages = loadDir(path.join(VIEWS, 'pages'));
const layout = hbs.compile(fs.readFileSync(path.join(VIEWS, 'layout.hbs'), 'utf8'));

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
): void {
  const template = pages.get(page);
  if (!template) throw new Error(`no view named ${page}`);
  const lang = res.locals.lang as Lang;
  const user = res.locals.user as UnionUser | undefined;
  const root = {
    ...data,
    lang,
    otherLang: lang === 'en' ? 'zh-CN' : 'en',
    user,
    can: Object.fromEntries([...(user?.permissions ?? [])].map((p) => [p.replace(/\./g, '_'), true])),
    csrf: user ? deps.csrf(user.id) : '',
    nav: subNav(deps.manifest, user, lang, data.navKey ?? ''),
    path: req.originalUrl,
    wrapped: !!deps.ui,
    timezone: deps.timezone,
  };
  const title = t(lang, data.titleKey);
  const body = layout({ ...root, title, content: template(root) });
  const html = deps.ui
    ? deps.ui.wrapPage(req, { title: `${title} - ${t(lang, 'common.appName')}`, html: body, lang })
    : standalone(lang, title, body);
  res.status(status).type('html').send(html);
}

function standalone(lang: Lang, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${Handlebars.escapeExpression(title)}</title></head><body>${body}</body></html>`;
}
