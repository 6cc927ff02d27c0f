/** Host pages everyone uses: sign-in, sign-out, home, inbox, the stylesheet. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { html } from './html';
import { setFlash, takeFlash, type Shell } from './layout';
import type { MenuRegistry } from './menus';
import { inbox } from './notify';
import type { Sessions } from './sso';
import { findPeople, sessionUserFor } from './users';

const CSS = fs.readFileSync(path.join(__dirname, 'host.css'), 'utf8');

const DEMO = [
  { id: 'u_emp', label: '普通员工', hint: '尚未入会' },
  { id: 'u_staff', label: '工会干事', hint: 'union_staff' },
  { id: 'u_chair', label: '工会主席', hint: 'union_chair' },
  { id: 'admin', label: '管理员', hint: '插件管理、人事' },
];

/** Host roles in words, where the home page shows them. */
const ROLE_NAMES: Record<string, string> = { employee: '员工', union_staff: '工会干事', union_chair: '工会主席', admin: '管理员' };

export interface PageDeps {
  db: Knex;
  sessions: Sessions;
  shell: Shell;
  menus: MenuRegistry;
}

export function publicPages({ db, sessions, shell, menus }: PageDeps): Router {
  const r = express.Router();

  r.get('/host/assets/host.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=300').send(CSS);
  });

  r.get('/login', async (req, res) => {
    const next = safeNext(req.query.next);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 64) : '';
    const found = q ? await findPeople(db, q) : [];
    const signInButton = (id: string, title: unknown, hint: unknown) => html`<form method="post" action="/login">
      <input type="hidden" name="id" value="${id}"><input type="hidden" name="next" value="${next}">
      <button type="submit"><strong>${title}</strong><span class="muted">${hint}</span></button></form>`;
    res.send(
      shell.render(
        req,
        '登录',
        html`
      <h1>登录 HR/OA 办公平台</h1>
      ${takeFlash(req, res)}
      <div class="card"><h2>演示账号</h2><div class="users">${DEMO.map((d) => signInButton(d.id, d.label, `${d.id} · ${d.hint}`))}</div></div>
      <div class="card"><h2>以任意员工身份登录</h2>
        <form method="get" action="/login" class="row">
          <input type="hidden" name="next" value="${next}">
          <label>员工编号、工号或姓名<input name="q" value="${q}" maxlength="64" placeholder="例如 E000123 或 王"></label>
          <div style="flex:0 0 auto"><button type="submit">查找</button></div>
        </form>
        ${q && !found.length ? html`<p class="muted">没有找到“${q}”。</p>` : ''}
        ${found.length ? html`<div class="users" style="margin-top:12px">${found.map((p) => signInButton(p.id, p.name, `${p.id} · ${p.department ?? ''}${p.status === 'employed' ? '' : ' · 已离职'}`))}</div>` : ''}
      </div>`,
      ),
    );
  });

  r.post('/login', async (req, res) => {
    const id = typeof req.body?.id === 'string' ? req.body.id.trim() : '';
    const next = safeNext(req.body?.next);
    const user = id ? await sessionUserFor(db, id) : null;
    const back = `/login?next=${encodeURIComponent(next)}`;
    if (!user) {
      setFlash(res, 'error', `没有员工编号为“${id}”的员工`);
      return res.redirect(303, back);
    }
    // Like a real SSO, an account closes when the person leaves; retirees keep theirs.
    if (user.status === 'exited') {
      setFlash(res, 'error', `${user.name} 已离职，账号已停用`);
      return res.redirect(303, back);
    }
    sessions.signIn(res, req, { id: user.id, name: user.name, roles: user.roles });
    res.redirect(303, next);
  });

  // GET too, so the link works from any page; signing someone out is harmless.
  r.all('/logout', (_req, res) => {
    sessions.signOut(res);
    res.redirect(303, '/login');
  });

  r.get('/', sessions.requirePageUser(), (req, res) => {
    const user = sessions.user(req)!;
    const items = menus.visibleFor(user.roles).filter((m) => m.path !== '/');
    res.send(
      shell.render(
        req,
        '首页',
        html`
      <h1>你好，${user.name ?? user.id}</h1>
      <p class="muted">角色 ${user.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}</p>
      <div class="grid">${items.map((m) => html`<a class="card" href="${m.path}"><strong>${m.title['zh-CN']}</strong></a>`)}</div>`,
      ),
    );
  });

  r.get('/inbox', sessions.requirePageUser(), async (req, res) => {
    const items = await inbox(db, sessions.user(req)!.id);
    res.send(
      shell.render(
        req,
        '消息',
        html`
      <h1>消息</h1>
      ${items.length ? '' : html`<p class="muted">暂无消息。</p>`}
      ${items.map(
        (n) => html`<article class="card notice" data-testid="notice">
        <h2 class="notice-title">${n.title}</h2>
        <p class="notice-body">${n.body}</p>
        <p class="notice-meta muted"><time>${n.createdAt}</time>${n.link ? html` · <a href="${n.link}">查看详情</a>` : ''}</p>
      </article>`,
      )}`,
      ),
    );
  });

  return r;
}

/** Only same-site paths: `next` must never send someone to another host (//evil, /\evil, https:...). */
export function safeNext(v: unknown): string {
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\') || /[\r\n]/.test(v)) return '/';
  return v;
}
