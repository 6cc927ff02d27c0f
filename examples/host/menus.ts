/** The menu bar's registry: the host and each plugin register items; each user sees what their roles allow. */
import type { HostMenus, MenuItem, MenuRegistration } from '../../plugin/host';

export class MenuRegistry implements HostMenus {
  /** Insertion order is display order: the host's own items first, then plugins as they are enabled. */
  private readonly registrations = new Map<string, MenuRegistration>();
  /** Grows with every change, so whoever caches what a user sees can tell it is out of date. */
  generation = 0;

  register(reg: MenuRegistration): void {
    this.generation++;
    // Re-registering (e.g. enable after disable) replaces; it never duplicates a tab.
    this.registrations.delete(reg.pluginId);
    this.registrations.set(reg.pluginId, reg);
  }

  unregister(pluginId: string): void {
    this.generation++;
    this.registrations.delete(pluginId);
  }

  visibleFor(hostRoles: string[]): MenuItem[] {
    const out: MenuItem[] = [];
    for (const reg of this.registrations.values()) out.push(...filter(reg.items, reg, hostRoles));
    return out;
  }
}

function filter(items: MenuItem[], reg: MenuRegistration, roles: string[]): MenuItem[] {
  const out: MenuItem[] = [];
  for (const item of items) {
    if (!allowed(reg, roles, item.permission)) continue;
    out.push(item.children ? { ...item, children: filter(item.children, reg, roles) } : item);
  }
  return out;
}

/** A plugin's `can` that throws must not take the whole menu bar down; it just hides the item. */
function allowed(reg: MenuRegistration, roles: string[], permission: string): boolean {
  try {
    return reg.can(roles, permission);
  } catch {
    return false;
  }
}

/** The host's own tabs, registered first so they lead the bar; plugins' tabs follow. */
export const HOST_MENU: MenuRegistration = {
  pluginId: 'host',
  items: [
    { key: 'host.home', path: '/', title: { 'zh-CN': '首页', en: 'Home' }, permission: 'host.signed_in' },
    { key: 'host.inbox', path: '/inbox', title: { 'zh-CN': '消息', en: 'Inbox' }, permission: 'host.signed_in' },
    { key: 'host.hr', path: '/hr/employees', title: { 'zh-CN': '人事', en: 'HR' }, permission: 'host.admin' },
    { key: 'host.plugins', path: '/plugins', title: { 'zh-CN': '插件管理', en: 'Plugins' }, permission: 'host.admin' },
  ],
  can: (roles, permission) => (permission === 'host.admin' ? roles.includes('admin') : true),
};
