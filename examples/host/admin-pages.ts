/** Administrator pages: the plugin manager and the HR desk with hire / exit / transfer forms. */
import express, { type Request, type Response, type Router } from 'express';
import type { Department, Employee } from '../../plugin/host';
import { pageAdmin } from './guards';
import { html } from './html';
import { HttpError } from './errors';
import type { HrService } from './hr';
import { setFlash, takeFlash, type Shell } from './layout';
import type { PluginManager } from './plugins';
import type { Sessions } from './sso';
import { parseListQuery, validateExit, validateHire, validateRehire, validateTransfer } from './validate';

export interface AdminPageDeps {
  sessions: Sessions;
  shell: Shell;
  hr: HrService;
  plugins: PluginManager;
}

const STATUS: Record<string, string> = { employed: '在职', exited: '离职', retired: '退休' };

export function adminPages({ sessions, shell, hr, plugins }: AdminPageDeps): Router {
  const r = express.Router();
  r.use(['/plugins', '/hr/employees'], pageAdmin(sessions));

  r.get('/plugins', async (req, res) => {
    const list = await plugins.list();
    res.send(
      shell.render(
        req,
        '插件管理',
        html`
      <h1>插件管理</h1>${takeFlash(req, res)}
      ${list.map(
        (p) => html`<div class="card">
        <div class="row" style="align-items:center">
          <div><strong>${p.title['zh-CN']}</strong> <span class="muted">${p.id} ${p.version}</span><br>
            <span class="badge ${p.enabled ? 'on' : ''}">${p.enabled ? '已启用' : '未启用'}</span>
            <span class="badge">${p.installed ? '已安装' : '未安装'}</span>
            ${p.error ? html`<p class="flash error">${p.error}</p>` : ''}</div>
          <form method="post" action="/plugins/${p.id}/${p.enabled ? 'disable' : 'enable'}" style="flex:0 0 auto">
            <button type="submit" class="${p.enabled ? 'secondary' : ''}">${p.enabled ? '停用' : '启用'}</button></form>
        </div></div>`,
      )}`,
      ),
    );
  });

  r.post('/plugins/:id/:action', async (req, res) => {
    const { id, action } = req.params;
    if (action !== 'enable' && action !== 'disable') throw new HttpError(404, 'not_found', '没有这个操作');
    try {
      await (action === 'enable' ? plugins.enable(id) : plugins.disable(id));
      setFlash(res, 'ok', `${id} 已${action === 'enable' ? '启用' : '停用'}`);
    } catch (err) {
      setFlash(res, 'error', err instanceof HttpError ? err.message : `${id} 操作失败，详见日志`);
      if (!(err instanceof HttpError)) throw err;
    }
    res.redirect(303, '/plugins');
  });

  r.get('/hr/employees', async (req, res) => {
    const query = parseListQuery({ ...req.query, limit: '50' });
    const [page, departments] = await Promise.all([hr.list(query), hr.departments()]);
    const deptName = new Map(departments.map((d) => [d.id, d.name]));
    const nextUrl = page.nextCursor
      ? `/hr/employees?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(query.status ? { status: query.status } : {}), ...(query.departmentId ? { departmentId: query.departmentId } : {}), cursor: page.nextCursor })}`
      : null;
    res.send(
      shell.render(
        req,
        '人事档案',
        html`
      <h1>人事档案</h1>${takeFlash(req, res)}
      <form class="card row" method="get" action="/hr/employees">
        <label>姓名或工号<input name="q" value="${query.q ?? ''}" maxlength="64"></label>
        <label>部门${departmentSelect(departments, query.departmentId, true)}</label>
        <label>状态<select name="status"><option value="">全部</option>${Object.entries(STATUS).map(([v, t]) => html`<option value="${v}" ${v === query.status ? 'selected' : ''}>${t}</option>`)}</select></label>
        <div style="flex:0 0 auto"><button type="submit">筛选</button></div>
      </form>
      <div class="table-wrap card" style="padding:0"><table>
        <thead><tr><th>员工编号</th><th>工号</th><th>姓名</th><th>部门</th><th>入职</th><th>状态</th><th>离职日期</th></tr></thead>
        <tbody>${page.items.map((e: Employee) => html`<tr><td>${e.id}</td><td>${e.employeeNo}</td><td>${e.name}</td><td>${deptName.get(e.departmentId) ?? e.departmentId}</td><td>${e.hireDate}</td><td>${STATUS[e.status]}</td><td>${e.exitDate ?? ''}</td></tr>`)}</tbody>
      </table></div>
      ${nextUrl ? html`<p><a href="${nextUrl}">下一页 →</a></p>` : ''}
      <div class="grid">
        <form class="card" method="post" action="/hr/employees/hire"><h2>办理入职</h2>
          <label>姓名<input name="name" required maxlength="64"></label>
          <label>部门${departmentSelect(departments)}</label>
          <label>性别<select name="gender"><option value="M">男</option><option value="F">女</option></select></label>
          <label>出生日期<input type="date" name="birthDate" required></label>
          <label>入职日期<input type="date" name="hireDate" required></label>
          <label>岗位<input name="position" maxlength="64"></label>
          <button type="submit">入职</button></form>
        <form class="card" method="post" action="/hr/employees/exit"><h2>办理离职</h2>
          <label>员工编号<input name="id" required placeholder="E000123"></label>
          <label>离职日期<input type="date" name="exitDate" required></label>
          <label>原因<input name="reason" maxlength="64" placeholder="个人原因"></label>
          <label><input type="checkbox" name="retired" value="1"> 退休</label>
          <button type="submit">离职</button></form>
        <form class="card" method="post" action="/hr/employees/transfer"><h2>调岗</h2>
          <label>员工编号<input name="id" required></label>
          <label>调入部门${departmentSelect(departments)}</label>
          <button type="submit">调岗</button></form>
        <form class="card" method="post" action="/hr/employees/rehire"><h2>再入职</h2>
          <label>员工编号（已离职）<input name="id" required></label>
          <label>入职日期<input type="date" name="hireDate" required></label>
          <button type="submit">再入职</button></form>
      </div>`,
      ),
    );
  });

  // The forms run the same validation and service calls as the JSON API, then come back with a message.
  const action = (done: string, run: (body: Record<string, string>) => Promise<Employee>) => async (req: Request, res: Response) => {
    try {
      const e = await run(compact(req.body ?? {}));
      setFlash(res, 'ok', `${e.name}（${e.id}）${done}`);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      setFlash(res, 'error', err.details.length ? err.details.map((d) => `${d.path}: ${d.message}`).join('；') : err.message);
    }
    res.redirect(303, '/hr/employees');
  };
  r.post(
    '/hr/employees/hire',
    action('已入职', (b) => hr.hire(validateHire({ ...b }))),
  );
  r.post(
    '/hr/employees/exit',
    action('已办理离职', ({ id, retired, ...b }) => hr.exit(id ?? '', validateExit({ ...b, ...(retired ? { retired: true } : {}) }))),
  );
  r.post(
    '/hr/employees/transfer',
    action('已调岗', ({ id, ...b }) => hr.transfer(id ?? '', validateTransfer(b))),
  );
  r.post(
    '/hr/employees/rehire',
    action('已再入职', ({ id, ...b }) => hr.rehire(id ?? '', validateRehire(b))),
  );

  return r;
}

function departmentSelect(departments: Department[], selected?: string, any = false) {
  return html`<select name="departmentId">${any ? html`<option value="">全部</option>` : ''}${departments.map((d) => html`<option value="${d.id}" ${d.id === selected ? 'selected' : ''}>${d.name}</option>`)}</select>`;
}

/** Form fields arrive as strings; empty optional fields mean "not given". */
function compact(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  return out;
}
