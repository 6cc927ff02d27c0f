/** The host's page shell: one menu bar for host pages and for plugin pages wrapped through HostUi. */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { HostUi, MenuItem, PageShell } from '../../plugin/host';
import { html, raw, type SafeHtml } from './html';
import type { MenuRegistry } from './menus';
import type { Sessions, SessionUser } from './sso';

export interface ShellInput {
  title: string;
  lang: 'zh-CN' | 'en';
  user: SessionUser | null;
  menu: MenuItem[];
  /** The request path, to highlight the current tab. */
  path: string;
  body: SafeHtml;
}

export function renderShell(s: ShellInput): string {
  const t = (item: MenuItem) => item.title[s.lang] ?? item.title['zh-CN'];
  const active = activeItem(s.menu, s.path);
  const sub = active?.children?.length ? activeItem(active.children, s.path) : undefined;
  return `<!doctype html>${html`<html lang="${s.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${s.title} · HR/OA</title>
<link rel="stylesheet" href="/host/assets/host.css">
</head>
<body>
<header class="topbar">
  <a class="brand" href="/">${s.lang === 'en' ? 'HR/OA' : 'HR/OA 办公平台'}</a>
  ${
    s.user
      ? html`<nav aria-label="${s.lang === 'en' ? 'Main' : '主菜单'}">${s.menu.map((m) => html`<a href="${m.path}" class="${m === active ? 'active' : ''}">${t(m)}</a>`)}</nav>
  <div class="who"><span>${s.user.name ?? s.user.id}</span><form class="inline" method="post" action="/logout"><button class="secondary" type="submit">${s.lang === 'en' ? 'Sign out' : '退出'}</button></form></div>`
      : ''
  }
</header>
${active?.children?.length ? html`<nav class="subnav">${active.children.map((c) => html`<a href="${c.path}" class="${c === sub ? 'active' : ''}">${t(c)}</a>`)}</nav>` : ''}
<main>
${s.body}
</main>
</body>
</html>`}`;
}

/** Longest matching path wins; '/' only matches the home page itself. */
function activeItem(items: MenuItem[], path: string): MenuItem | undefined {
  const clean = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const here = clean(path);
  let best: MenuItem | undefined;
  for (const item of items) {
    const base = clean(item.path.split('?')[0]);
    const hit = base === '/' ? here === '/' : here === base || here.startsWith(`${base}/`);
    if (hit && (!best || base.length > clean(best.path).length)) best = item;
  }
  return best;
}

/** Stands for the body while a shell is cached; random so that no page's text can contain it by chance. */
const BODY_SLOT = `<!--body-${randomBytes(12).toString('hex')}-->`;
const MAX_SHELLS = 1000;

export class Shell {
  /**
   * The shell around a body depends only on the title, language, path, the user's id, name and roles, and
   * the menus registered: kept as the text before and after the body, so a page pays for a lookup
   * instead of a menu filter and a template per request.
   */
  private readonly shells = new Map<string, [string, string]>();

  constructor(
    private readonly sessions: Sessions,
    private readonly menus: MenuRegistry,
  ) {}

  render(req: Request, title: string, body: SafeHtml, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
    const user = this.sessions.user(req);
    const path = req.originalUrl.split('?')[0];
    const key = JSON.stringify([this.menus.generation, title, lang, path, user?.id, user?.name, user?.roles]);
    let parts = this.shells.get(key);
    if (!parts) {
      const whole = renderShell({ title, lang, user, menu: user ? this.menus.visibleFor(user.roles) : [], path, body: raw(BODY_SLOT) });
      const at = whole.indexOf(BODY_SLOT);
      parts = [whole.slice(0, at), whole.slice(at + BODY_SLOT.length)];
      if (this.shells.size >= MAX_SHELLS) this.shells.delete(this.shells.keys().next().value as string);
      this.shells.set(key, parts);
    }
    return parts[0] + body.value + parts[1];
  }

  /** HostUi for plugins: their page body, our menu bar. The plugin escapes its own body. */
  ui(): HostUi {
    return { wrapPage: (req: Request, page: PageShell) => this.render(req, page.title, raw(page.html), page.lang) };
  }

  /** A full error page in the shell (no menu when signed out). */
  errorPage(req: Request, status: number, message: string): string {
    const title = status === 404 ? '页面不存在' : status === 403 ? '没有权限' : status >= 500 ? '出错了' : '请求有误';
    return this.render(
      req,
      title,
      // People read why in Chinese; the English message stays for the API and the log. A path under a
      // disabled plugin says that the module is switched off, not "Nothing at".
      html`<div class="card"><h1>${title}</h1><p class="muted">${status === 404 ? notFoundText(req.path) : message}</p><p><a href="/">返回首页</a></p></div>`,
    );
  }
}

function notFoundText(path: string): string {
  return path.startsWith('/union') ? `“${path}”不存在：工会模块可能已被管理员停用，或地址有误。` : `“${path}”不存在，请检查地址。`;
}

/** One-shot messages across a post/redirect/get, kept in a short cookie rather than the URL. */
const FLASH = 'hr_flash';

export function setFlash(res: Response, kind: 'ok' | 'error', text: string): void {
  res.cookie(FLASH, JSON.stringify({ kind, text }), { httpOnly: true, sameSite: 'lax', maxAge: 60_000, path: '/' });
}

export function takeFlash(req: Request, res: Response): SafeHtml {
  const v = (req.cookies as Record<string, string> | undefined)?.[FLASH];
  if (!v) return html``;
  res.clearCookie(FLASH, { path: '/' });
  try {
    const { kind, text } = JSON.parse(v) as { kind: string; text: string };
    return html`<div class="flash ${kind === 'error' ? 'error' : ''}" role="status">${text}</div>`;
  } catch {
    return html``;
  }
}
