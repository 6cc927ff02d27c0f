/** A stand-in plugin, so the host's plugin manager is tested without depending on the union module. */
import express from 'express';
import type { HostContext, HostEventHandler } from '../../plugin/host';
import type { HostPlugin, PluginSource } from '../../examples/host/plugins';

export interface FakeRecord {
  calls: string[];
  settings: Record<string, unknown>[];
  events: string[];
}

export function fakeSource(record: FakeRecord, id = 'fake'): PluginSource {
  return { id, load: () => ({ createPlugin: (host) => fakePlugin(host, record, id) }) };
}

export function brokenSource(id = 'broken'): PluginSource {
  return {
    id,
    load: () => {
      throw new Error('manifest.json: hostApi is missing');
    },
  };
}

function fakePlugin(host: HostContext, record: FakeRecord, id: string): HostPlugin {
  record.settings.push(host.settings);
  let enabled = false;
  const onHired: HostEventHandler = async (e) => void record.events.push(e.data.employeeId);
  return {
    manifest: { id, name: { 'zh-CN': '工会', en: 'Union' }, version: '9.9.9' },
    async install() {
      record.calls.push('install');
    },
    async enable() {
      record.calls.push('enable');
      if (enabled) return;
      const router = express.Router();
      router.get('/', (req, res) => {
        res.type('html').send(host.ui!.wrapPage(req, { title: '工会首页', html: '<p id="plugin-body">plugin page</p>', lang: 'zh-CN' }));
      });
      router.get('/api/ping', (req, res) => void res.json({ baseUrl: req.baseUrl, url: req.url }));
      host.mount.mount(`/${id}`, router);
      host.menus.register({
        pluginId: id,
        items: [
          {
            key: id,
            path: `/${id}/`,
            permission: 'portal',
            title: { 'zh-CN': '工会', en: 'Union' },
            children: [
              { key: `${id}.home`, path: `/${id}/`, permission: 'portal', title: { 'zh-CN': '我的会籍', en: 'Mine' } },
              { key: `${id}.ledger`, path: `/${id}/members`, permission: 'ledger', title: { 'zh-CN': '会员台账', en: 'Ledger' } },
            ],
          },
        ],
        can: (roles, permission) => permission === 'portal' || roles.includes('union_staff'),
      });
      host.events.on('employee.hired', onHired);
      enabled = true;
    },
    async disable() {
      record.calls.push('disable');
      host.events.off('employee.hired', onHired);
      host.menus.unregister(id);
      host.mount.unmount(`/${id}`);
      enabled = false;
    },
    async uninstall() {
      record.calls.push('uninstall');
    },
    isEnabled: () => enabled,
  };
}
